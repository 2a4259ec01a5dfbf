package importer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imagecopy"
)

func TestPlanCopies(t *testing.T) {
	for _, c := range []struct {
		region, via string
		to          []string
		want        CopyPlan
	}{
		{"cn-bj2", "", nil, CopyPlan{ImportRegion: "cn-bj2"}},
		{"cn-bj2", "", []string{"hk", "sg"}, CopyPlan{ImportRegion: "cn-bj2", Targets: []string{"hk", "sg"}}},
		// --via: the import goes to the hub, the asked region comes first.
		{"hk", "cn-bj2", nil, CopyPlan{ImportRegion: "cn-bj2", Targets: []string{"hk"}, Hub: true}},
		{"hk", "cn-bj2", []string{"sg", "hk"}, CopyPlan{ImportRegion: "cn-bj2", Targets: []string{"hk", "sg"}, Hub: true}},
	} {
		got, err := PlanCopies(c.region, c.to, c.via)
		if err != nil || got.ImportRegion != c.want.ImportRegion || got.Hub != c.want.Hub || !slices.Equal(got.Targets, c.want.Targets) {
			t.Errorf("PlanCopies(%s, %v, %q) = %+v, %v; want %+v", c.region, c.to, c.via, got, err, c.want)
		}
	}
	for _, c := range []struct {
		region, via string
		to          []string
		says        string
	}{
		{"cn-bj1", "", []string{"hk"}, "--via cn-bj2"},         // no copies from cn-bj1: the hint names the way
		{"hk", "cn-bj1", nil, "does not support image copies"}, // nor through it
		{"cn-bj2", "", []string{"cn-bj1"}, "does not support image copies"},
		{"cn-bj2", "", []string{"cn-bj2"}, "where the image is imported"},
		{"cn-bj2", "", []string{"hk", "hk"}, "twice"},
		{"cn-bj2", "", []string{"HK!"}, "not a region id"},
		{"hk", "hk", nil, "own region"},
	} {
		_, err := PlanCopies(c.region, c.to, c.via)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error()+" "+ie.Hint(), c.says) {
			t.Errorf("PlanCopies(%s, %v, %q): %v; want an InputError saying %q", c.region, c.to, c.via, err, c.says)
		}
	}
}

func TestSplitRegions(t *testing.T) {
	if got := SplitRegions([]string{"hk, sg", "", "us-ca,"}); !slices.Equal(got, []string{"hk", "sg", "us-ca"}) {
		t.Errorf("SplitRegions = %v", got)
	}
}

// Copy journals every request (so RecordedImage finds the copy where it
// lives), and CopiesError classifies an Unavailable copy as exit 5 while
// naming what was kept.
func TestCopyJournalledAndClassified(t *testing.T) {
	srv := demoapi.New(demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1, UnavailableTargets: []string{"sg"}}})
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s, _ := testSession(t, nil, false)
	s.settings.BaseURL = base
	api := s.Client(apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey})
	ctx := context.Background()
	src, err := api.ImportCustomImage(ctx, apiclient.ImportRequest{Region: "cn-bj2", ImageName: "g", UFileUrl: "https://b.cn-bj.ufileos.com/g.qcow2",
		OsType: "Other", OsName: "Other", Format: "qcow2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.DescribeImage(ctx, apiclient.DescribeImageRequest{Region: "cn-bj2", ImageId: src}); err != nil {
		t.Fatal(err)
	}
	results, err := s.Copy(ctx, api, CopyRequest{Region: "cn-bj2", ImageID: src, To: []string{"hk", "sg"}, Wait: true}, nil)
	if err != nil || len(results) != 2 {
		t.Fatalf("%v %+v", err, results)
	}
	for _, r := range results {
		rec := RecordedImage(s.cfg.StateHome(), r.ImageID)
		if rec.Region != r.Region || rec.Copy == nil || rec.Copy.SourceImageID != src {
			t.Errorf("%s: recorded %+v", r.Region, rec)
		}
	}
	cerr := CopiesFailed(results)
	var ce *CopiesError
	if Classify(cerr) != ClassUnavailable || !errors.As(cerr, &ce) || !strings.Contains(ce.Hint(), "hk ("+results[0].ImageID+")") {
		t.Errorf("class %v: %v; hint %q", Classify(cerr), cerr, ce.Hint())
	}
	if CopiesFailed(results[:1]) != nil {
		t.Error("an Available copy counted as failed")
	}
	if _, err := s.Copy(ctx, api, CopyRequest{Region: "cn-bj2", ImageID: "", To: []string{"hk"}}, nil); Classify(err) != ClassInput {
		t.Errorf("no ImageId: %v", err)
	}
	if Classify(&imagecopy.RequestError{Msg: "x"}) != ClassInput {
		t.Error("a RequestError is not bad input")
	}
}
