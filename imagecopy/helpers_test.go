package imagecopy_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
)

// fixture is a simulator on loopback and a signed client for it.
type fixture struct {
	srv    *demoapi.Server
	client *apiclient.Client

	mu      sync.Mutex
	regions []string // regions Clients was asked for
	events  []imagecopy.Event
}

func newFixture(t *testing.T, opts demoapi.Options) *fixture {
	t.Helper()
	s := demoapi.New(opts)
	t.Cleanup(s.Close)
	url, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	c := apiclient.New(url, apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}, "uimport-test")
	c.Timeout = 2 * time.Second
	c.Retry = apiclient.RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
	return &fixture{srv: s, client: c}
}

// importSource imports an image in region and, when settle is set, polls
// it until Available.
func (f *fixture) importSource(t *testing.T, region string, settle bool) string {
	t.Helper()
	ctx := context.Background()
	id, err := f.client.ImportCustomImage(ctx, apiclient.ImportRequest{Region: region, ImageName: "golden",
		UFileUrl: "https://b.cn-bj.ufileos.com/golden.qcow2", OsType: "CentOS", OsName: "CentOS 7.9 64位", Format: "qcow2"})
	if err != nil {
		t.Fatal(err)
	}
	if settle {
		img, err := follow.Wait(ctx, f.client, follow.Options{Region: region, ImageID: id, FirstWait: time.Millisecond, MaxWait: time.Millisecond}, nil)
		if err != nil || img.State != apiclient.StateAvailable {
			t.Fatalf("source: %v %q", err, img.State)
		}
	}
	return id
}

func (f *fixture) options() imagecopy.Options {
	return imagecopy.Options{
		Clients: func(region string) (imagecopy.API, error) {
			f.mu.Lock()
			f.regions = append(f.regions, region)
			f.mu.Unlock()
			return f.client, nil
		},
		Wait:    true,
		Polling: follow.Options{FirstWait: time.Millisecond, MaxWait: 5 * time.Millisecond, Limit: 3 * time.Second}, // a lost copy fails fast
		OnEvent: func(e imagecopy.Event) { f.events = append(f.events, e) },                                         // calls never overlap
	}
}

// describedIn lists the "region/project" every DescribeImage for id asked.
func (f *fixture) describedIn(id string) []string {
	var out []string
	for _, r := range f.srv.Requests() {
		if r.Action == apiclient.ActionDescribeImage && r.Params["ImageId"] == id {
			out = append(out, r.Params["Region"]+"/"+r.Params["ProjectId"])
		}
	}
	return out
}
