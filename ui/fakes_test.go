package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
)

// fakeAPI is the API with canned answers; it counts what was sent.
type fakeAPI struct {
	mu          sync.Mutex
	client      *apiclient.Client // signs like the real thing
	regions     []apiclient.Region
	regionErr   error
	projects    []apiclient.Project
	projectErr  error
	regionGate  chan struct{} // GetRegion waits for it when set
	sendErr     error
	sendGate    chan struct{} // SendImport waits for it when set
	sends       int
	states      []string // DescribeImage answers, the last repeated
	describes   int
	regionCalls int
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		client: apiclient.New("https://api.example.test", apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, "test"),
		regions: []apiclient.Region{
			{Region: "cn-bj2", Zone: "cn-bj2-02", RegionName: "Beijing 2"},
			{Region: "cn-bj2", Zone: "cn-bj2-03", RegionName: "Beijing 2"},
			{Region: "hk", Zone: "hk-02", RegionName: "Hong Kong"},
			{Region: "sg", Zone: "sg-01", RegionName: "Singapore", IsDefault: true},
			{Region: "sg", Zone: "sg-02", RegionName: "Singapore"},
		},
		projects: []apiclient.Project{
			{ProjectId: "org-aaa", ProjectName: "Default", IsDefault: true},
			{ProjectId: "org-bbb", ProjectName: "staging"},
		},
		states: []string{apiclient.StateMaking, apiclient.StateAvailable},
	}
}

func (f *fakeAPI) GetRegion(ctx context.Context) ([]apiclient.Region, error) {
	f.mu.Lock()
	f.regionCalls++
	gate := f.regionGate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if f.regionErr != nil {
		return nil, f.regionErr
	}
	return f.regions, nil
}

func (f *fakeAPI) GetProjectList(context.Context) ([]apiclient.Project, error) {
	if f.projectErr != nil {
		return nil, f.projectErr
	}
	return f.projects, nil
}

func (f *fakeAPI) PrepareImport(r apiclient.ImportRequest) apiclient.PreparedRequest {
	return f.client.PrepareImport(r)
}

func (f *fakeAPI) SendImport(ctx context.Context, req apiclient.PreparedRequest) (string, error) {
	f.mu.Lock()
	f.sends++
	gate := f.sendGate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if f.sendErr != nil {
		return "", f.sendErr
	}
	return "uimage-test0001", nil
}

func (f *fakeAPI) DescribeImage(_ context.Context, r apiclient.DescribeImageRequest) (apiclient.DescribeImageResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.states[min(f.describes, len(f.states)-1)]
	f.describes++
	return apiclient.DescribeImageResult{TotalCount: 1, ImageSet: []apiclient.Image{{ImageId: r.ImageId, State: st}}}, nil
}

func (f *fakeAPI) sendCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sends
}

// fakeStore is a credential store with one answer.
type fakeStore struct {
	res     keystore.Resolved
	err     error
	gate    chan struct{} // Resolve waits for it when set, like a slow keyring
	saveErr error
	mu      sync.Mutex
	saved   []keystore.Credentials
}

func envStore() *fakeStore {
	return &fakeStore{res: keystore.Resolved{
		Credentials: keystore.Credentials{PublicKey: testPublicKey, PrivateKey: testPrivateKey},
		Source:      keystore.SourceEnv, Profile: "default",
	}}
}

func emptyStore() *fakeStore {
	return &fakeStore{
		res: keystore.Resolved{Profile: "default", Notes: []string{"OS keyring unavailable (no D-Bus session; common over SSH): skipped"}},
		err: &keystore.NoCredentialsError{Profile: "default"},
	}
}

func (s *fakeStore) Resolve(ctx context.Context) (keystore.Resolved, error) {
	if s.gate != nil {
		<-s.gate
	}
	return s.res, s.err
}

func (s *fakeStore) Save(_ context.Context, c keystore.Credentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved = append(s.saved, c)
	return s.saveErr
}

var errTest = errors.New("test failure")

// fixedNow keeps elapsed times, and so golden views, stable.
func fixedNow() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }

func testOptions(api *fakeAPI, store *fakeStore) Options {
	return Options{
		Spec: importspec.Spec{}, Profile: "default", Credentials: store,
		NewAPI: func(apiclient.Keys) API { return api }, PollInterval: 5 * time.Millisecond, Now: fixedNow,
	}
}
