package imagecopy_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/journal"
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

func TestCopyOnceToEachTargetAndFollowInItsRegion(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: 1, Copies: demoapi.CopyOptions{CopyingPolls: 2}})
	src := f.importSource(t, "cn-bj2", true)
	targets := []imagecopy.Target{{Region: "hk"}, {Region: "sg", ImageName: "golden-sg"}, {Region: "cn-bj2", ProjectID: "org-demo02"}}
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src}, targets, f.options())
	if err != nil {
		t.Fatal(err)
	}
	if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != len(targets) {
		t.Errorf("%d CopyCustomImage requests, want one per target (%d)", n, len(targets))
	}
	for _, r := range f.srv.Requests() {
		if r.Action == apiclient.ActionCopyCustomImage && (!r.SignatureValid || r.Params["Region"] != "cn-bj2" || r.Params["SourceImageId"] != src) {
			t.Errorf("copy request %v: want signed, from cn-bj2, of %s", r.Params, src)
		}
	}
	wantProjects := []string{demoapi.DefaultProjectID, demoapi.DefaultProjectID, "org-demo02"}
	if !imagecopy.AllAvailable(results) {
		t.Fatalf("results %+v: want all Available", results)
	}
	for i, r := range results {
		if r.Region != targets[i].Region || r.ProjectID != wantProjects[i] || r.State != apiclient.StateAvailable || r.ImageID == "" {
			t.Errorf("result %d: %+v", i, r)
		}
		want := r.Region + "/" + r.ProjectID
		seen := f.describedIn(r.ImageID)
		if len(seen) < 3 { // Copying twice, then Available
			t.Errorf("%s polled %d times, want at least 3", r.ImageID, len(seen))
		}
		for _, where := range seen {
			if where != want {
				t.Errorf("%s was followed in %s, want %s (its own region and project)", r.ImageID, where, want)
			}
		}
	}
	copies := f.srv.Copies()
	if len(copies) != 3 || copies[2].TargetRegion != "cn-bj2" || copies[2].TargetProjectID != "org-demo02" {
		t.Errorf("copies %+v", copies)
	}
	sawCopying := slices.ContainsFunc(f.events, func(e imagecopy.Event) bool {
		return e.Kind == imagecopy.EventProgress && e.State == apiclient.StateCopying
	})
	if !sawCopying {
		t.Error("no progress event with State Copying")
	}
	for _, region := range []string{"hk", "sg"} {
		if !slices.Contains(f.regions, region) {
			t.Errorf("no client asked for target region %s", region)
		}
	}
}

func TestMakingSourceIsNotSent(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: 5})
	src := f.importSource(t, "cn-bj2", false)
	_, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src}, []imagecopy.Target{{Region: "hk"}}, f.options())
	var se *imagecopy.SourceError
	if !errors.As(err, &se) || se.State != apiclient.StateMaking || !strings.Contains(se.Hint(), "--wait") {
		t.Fatalf("err %v: want a SourceError for a Making image", err)
	}
	if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != 0 {
		t.Errorf("%d copies sent of a Making source", n)
	}
}

func TestSourceInAnotherRegionIsNotFound(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1})
	src := f.importSource(t, "cn-bj2", true)
	_, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "sg", ImageID: src}, []imagecopy.Target{{Region: "hk"}}, f.options())
	var se *imagecopy.SourceError
	if !errors.As(err, &se) || se.State != "" {
		t.Fatalf("err %v: want a SourceError for an image not in sg", err)
	}
	if f.srv.Count(apiclient.ActionCopyCustomImage) != 0 {
		t.Error("a copy was sent")
	}
}

func TestOneUnavailableTargetKeepsTheRest(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: 1, UnavailableTargets: []string{"sg"}}})
	src := f.importSource(t, "cn-bj2", true)
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
		[]imagecopy.Target{{Region: "hk"}, {Region: "sg"}, {Region: "jpn-tky"}}, f.options())
	if err != nil {
		t.Fatal(err)
	}
	if imagecopy.AllAvailable(results) {
		t.Fatal("all Available, want sg Unavailable")
	}
	bad := imagecopy.Unavailable(results)
	if len(bad) != 1 || bad[0].Region != "sg" || bad[0].State != apiclient.StateUnavailable || bad[0].ImageID == "" {
		t.Fatalf("Unavailable = %+v, want sg alone", bad)
	}
	var ue *imagecopy.UnavailableError
	if !errors.As(bad[0].Err, &ue) || !strings.Contains(ue.Error(), "sg") {
		t.Errorf("sg's error %v", bad[0].Err)
	}
	for _, r := range []imagecopy.Result{results[0], results[2]} {
		if !r.OK() || r.State != apiclient.StateAvailable {
			t.Errorf("%s: %+v, want Available", r.Region, r)
		}
	}
	if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != 3 {
		t.Errorf("%d copy requests, want 3", n)
	}
}

// A failed send is never repeated, and the other targets still go.
func TestFailedSendIsNotRetriedAndOthersGo(t *testing.T) {
	cases := []struct {
		name      string
		fault     demoapi.Fault
		uncertain bool
	}{
		{"HTTP 503", demoapi.Fault{Status: http.StatusServiceUnavailable, Times: 1}, true},
		{"cut-off answer", demoapi.Fault{Truncate: true, Times: 1}, true},
		{"RetCode 150", demoapi.Fault{RetCode: 150, Message: "busy", Times: 1}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}})
			src := f.importSource(t, "cn-bj2", true)
			f.srv.SetFault(apiclient.ActionCopyCustomImage, tc.fault)
			results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
				[]imagecopy.Target{{Region: "hk"}, {Region: "sg"}}, f.options())
			if err != nil {
				t.Fatal(err)
			}
			if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != 2 {
				t.Errorf("%d copy requests, want 2 (one per target, none repeated)", n)
			}
			first := results[0]
			if first.OK() || first.Uncertain != tc.uncertain || first.ImageID != "" {
				t.Errorf("hk: %+v, want failed with Uncertain %v", first, tc.uncertain)
			}
			var h apiclient.Hinter
			if tc.uncertain && (!errors.As(first.Err, &h) || !strings.Contains(h.Hint(), "may have reached the server")) {
				t.Errorf("hk's error %v does not say the copy may have been made", first.Err)
			}
			if !results[1].OK() || results[1].State != apiclient.StateAvailable {
				t.Errorf("sg: %+v, want Available", results[1])
			}
		})
	}
}

func TestRefusedTargetIsExplained(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}})
	src := f.importSource(t, "cn-bj2", true)
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
		[]imagecopy.Target{{Region: "cn-bj1"}, {Region: "hk"}}, f.options())
	if err != nil {
		t.Fatal(err)
	}
	var ae *apiclient.APIError
	if !errors.As(results[0].Err, &ae) || !strings.Contains(ae.Hint(), "cn-bj1") || results[0].Uncertain {
		t.Errorf("cn-bj1: %+v, want a refusal whose hint names cn-bj1", results[0])
	}
	if !results[1].OK() {
		t.Errorf("hk: %+v", results[1])
	}
}

// recordingJournal notes what the server had seen when each call came.
type recordingJournal struct {
	srv      *demoapi.Server
	failSent bool
	sent     []int // copy requests the server had received when Sent was called
	outcomes []string
	states   []string
}

func (j *recordingJournal) Sent(req apiclient.PreparedRequest) (string, error) {
	if j.failSent {
		return "", errors.New("disk full")
	}
	if req.Params["Action"] != apiclient.ActionCopyCustomImage || req.Params["Signature"] == "" {
		return "", errors.New("not a signed copy request")
	}
	j.sent = append(j.sent, j.srv.Count(apiclient.ActionCopyCustomImage))
	return req.Params["TargetRegion"], nil
}

func (j *recordingJournal) Outcome(id, imageID string, sendErr error, uncertain bool) error {
	j.outcomes = append(j.outcomes, id+"="+imageID)
	return nil
}

func (j *recordingJournal) State(imageID, state string) error {
	j.states = append(j.states, state)
	return nil
}

func TestEveryCopyIsJournalledBeforeItIsSent(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}})
	src := f.importSource(t, "cn-bj2", true)
	j := &recordingJournal{srv: f.srv}
	o := f.options()
	o.Journal = j
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
		[]imagecopy.Target{{Region: "hk"}, {Region: "sg"}}, o)
	if err != nil || !imagecopy.AllAvailable(results) {
		t.Fatalf("%v %+v", err, results)
	}
	if !slices.Equal(j.sent, []int{0, 1}) {
		t.Errorf("Sent saw %v copy requests already received, want [0 1]", j.sent)
	}
	want := []string{"hk=" + results[0].ImageID, "sg=" + results[1].ImageID}
	if !slices.Equal(j.outcomes, want) {
		t.Errorf("outcomes %v, want %v", j.outcomes, want)
	}
	if !slices.Equal(j.states, []string{"Available", "Available"}) {
		t.Errorf("states %v", j.states)
	}
}

func TestNoJournalNoSend(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1})
	src := f.importSource(t, "cn-bj2", true)
	o := f.options()
	o.Journal = &recordingJournal{srv: f.srv, failSent: true}
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src}, []imagecopy.Target{{Region: "hk"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	var je *imagecopy.JournalError
	if !errors.As(results[0].Err, &je) {
		t.Errorf("err %v, want a JournalError", results[0].Err)
	}
	if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != 0 {
		t.Errorf("%d copies sent without a journal entry", n)
	}
}

func TestWithoutWaitNothingIsFollowed(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1})
	src := f.importSource(t, "cn-bj2", true)
	o := f.options()
	o.Wait = false
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src}, []imagecopy.Target{{Region: "hk"}}, o)
	if err != nil || !results[0].OK() || results[0].ImageID == "" || results[0].State != "" {
		t.Fatalf("%v %+v", err, results)
	}
	if seen := f.describedIn(results[0].ImageID); len(seen) != 0 {
		t.Errorf("followed without Wait: %v", seen)
	}
}

func TestBadRequestsSendNothing(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1})
	src := imagecopy.Source{Region: "cn-bj2", ImageID: "uimage-x"}
	for name, targets := range map[string][]imagecopy.Target{
		"none":      nil,
		"no region": {{ProjectID: "org-demo02"}},
		"twice":     {{Region: "hk"}, {Region: "sg"}, {Region: "hk"}},
	} {
		if _, err := imagecopy.Copy(context.Background(), src, targets, f.options()); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := imagecopy.Copy(context.Background(), imagecopy.Source{ImageID: "uimage-x"}, []imagecopy.Target{{Region: "hk"}}, f.options()); err == nil {
		t.Error("a source without a region was accepted")
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for bad requests", n)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1})
	src := f.importSource(t, "cn-bj2", true)
	ctx, cancel := context.WithCancel(context.Background())
	o := f.options()
	o.OnEvent = func(e imagecopy.Event) {
		if e.Kind == imagecopy.EventSent {
			cancel() // the user stops after the first copy went out
		}
	}
	results, err := imagecopy.Copy(ctx, imagecopy.Source{Region: "cn-bj2", ImageID: src}, []imagecopy.Target{{Region: "hk"}, {Region: "sg"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	if results[0].ImageID == "" || !errors.Is(results[1].Err, context.Canceled) {
		t.Errorf("results %+v: want hk made, sg not sent", results)
	}
	if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != 1 {
		t.Errorf("%d copy requests after cancel, want 1", n)
	}
}

func TestCopyOfReadsWhereAJournalledCopyLives(t *testing.T) {
	c := apiclient.New("", apiclient.Keys{PublicKey: "p", PrivateKey: "k"}, "")
	cross := c.PrepareCopy(apiclient.CopyRequest{Region: "cn-bj2", SourceImageId: "uimage-src", TargetProjectId: "org-a", TargetRegion: "hk", TargetImageName: "n"})
	got, ok := imagecopy.CopyOf(cross.Params)
	want := imagecopy.JournalledCopy{SourceRegion: "cn-bj2", SourceImageID: "uimage-src", Region: "hk", ProjectID: "org-a", ImageName: "n"}
	if !ok || got != want {
		t.Errorf("cross-region: %+v %v, want %+v", got, ok, want)
	}
	same := c.PrepareCopy(apiclient.CopyRequest{Region: "cn-bj2", ProjectId: "org-a", SourceImageId: "uimage-src", TargetProjectId: "org-b", TargetRegion: "cn-bj2"})
	if got, ok := imagecopy.CopyOf(same.Params); !ok || got.Region != "cn-bj2" || got.ProjectID != "org-b" || got.SourceProjectID != "org-a" {
		t.Errorf("same region: %+v %v", got, ok)
	}
	imp := c.PrepareImport(apiclient.ImportRequest{Region: "cn-bj2", ImageName: "x"})
	if _, ok := imagecopy.CopyOf(imp.Params); ok {
		t.Error("an import was taken for a copy")
	}
}

// Copies land in the import journal: history lists them with their source,
// and status finds each one's own region and project.
func TestCopiesInTheRealJournal(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: 1, UnavailableTargets: []string{"sg"}}})
	src := f.importSource(t, "cn-bj2", true)
	j := journal.Open(filepath.Join(t.TempDir(), "imports.jsonl"))
	o := f.options()
	o.Journal = imagecopy.JournalTo(j, "default", f.srv.URL(), true)
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
		[]imagecopy.Target{{Region: "hk"}, {Region: "sg"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	entries, skipped, err := journal.Read(j.Path())
	if err != nil || skipped != 0 || len(entries) != 2 {
		t.Fatalf("journal: %d entries, %d skipped, %v", len(entries), skipped, err)
	}
	for _, r := range results {
		e, ok := journal.FindImage(entries, r.ImageID)
		if !ok || !e.Answered || e.State != r.State {
			t.Errorf("%s: entry %+v, want answered with state %s", r.Region, e, r.State)
			continue
		}
		if _, secret := e.Params["Signature"]; secret {
			t.Error("the journal kept the signature")
		}
		c, isCopy := imagecopy.CopyOf(e.Params)
		if !isCopy || c.SourceImageID != src || c.Region != r.Region || c.ProjectID != r.ProjectID {
			t.Errorf("%s: CopyOf = %+v %v", r.Region, c, isCopy)
		}
	}
}
