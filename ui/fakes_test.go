package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/preflight"
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
		Spec: importspec.Spec{}, Profile: "default", Now: fixedNow,
		Backend: &testBackend{credentials: store, newAPI: func(apiclient.Keys) API { return api }, pollInterval: 5 * time.Millisecond},
	}
}

// testBackend is a Backend of hooks, as a test sets them; a nil hook is a
// feature the backend does not offer (Submit: the API sends).
type testBackend struct {
	credentials   CredentialStore
	newAPI        func(apiclient.Keys) API
	pollInterval  time.Duration
	submit        func(ctx context.Context, req apiclient.PreparedRequest) (string, error)
	checkObject   func(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report
	demoObjectURL func(format string) string
	upload        func(ctx context.Context, req UploadRequest, progress UploadProgress) (string, string, error)
	buckets       func(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error)
	sniffFile     func(path, declared string) (string, error, []string)
	copy          func(ctx context.Context, req importer.CopyRequest, onEvent func(imagecopy.Event)) ([]imagecopy.Result, error)
}

// hooks is the test backend in opts, for a test to set hooks on.
func hooks(opts Options) *testBackend { return opts.Backend.(*testBackend) }

func (b *testBackend) Keys() CredentialStore                { return b.credentials }
func (b *testBackend) SavesKeys() bool                      { return true }
func (b *testBackend) KeySource(r keystore.Resolved) string { return r.Origin() }
func (b *testBackend) Connect(keys apiclient.Keys) API      { return b.newAPI(keys) }
func (b *testBackend) PollInterval() time.Duration          { return b.pollInterval }
func (b *testBackend) DemoFile() (string, error)            { return "", nil }
func (b *testBackend) CheckFile(path, declared string) FileVerdict {
	s, blocking, warnings := b.sniffFile(path, declared)
	return FileVerdict{Summary: s, Blocking: blocking, Warnings: warnings}
}

func (b *testBackend) Features() Features {
	return Features{CheckObjects: b.checkObject != nil, CheckFiles: b.sniffFile != nil, Uploads: b.upload != nil, ListsBuckets: b.buckets != nil,
		Copies: b.copy != nil}
}

func (b *testBackend) Copy(ctx context.Context, _ apiclient.Keys, req importer.CopyRequest, onEvent func(imagecopy.Event)) ([]imagecopy.Result, error) {
	return b.copy(ctx, req, onEvent)
}

func (b *testBackend) Submit(ctx context.Context, api API, req apiclient.PreparedRequest) (string, error) {
	if b.submit != nil {
		return b.submit(ctx, req)
	}
	return api.SendImport(ctx, req)
}

func (b *testBackend) CheckObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report {
	return b.checkObject(ctx, spec, keys)
}

func (b *testBackend) Upload(ctx context.Context, req UploadRequest, progress UploadProgress) (string, string, error) {
	return b.upload(ctx, req, progress)
}

func (b *testBackend) Buckets(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error) {
	return b.buckets(ctx, keys, projectID)
}

func (b *testBackend) DemoObjectURL(format string) string {
	if b.demoObjectURL == nil {
		return ""
	}
	return b.demoObjectURL(format)
}
