package imagecopy_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imagecopy"
)

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
