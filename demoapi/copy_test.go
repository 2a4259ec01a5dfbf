package demoapi

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// availableImage imports an image in region that is Available at once.
func availableImage(t *testing.T, s *Server, region string) string {
	t.Helper()
	id := importImage(t, s, apiclient.Params{"Region": region})
	s.mu.Lock()
	s.findImage(id).Polls = s.makingPolls
	s.mu.Unlock()
	return id
}

func copyParams(src, target string) apiclient.Params {
	return apiclient.Params{
		"Action": "CopyCustomImage", "Region": "cn-bj2", "SourceImageId": src,
		"TargetProjectId": DefaultProjectID, "TargetRegion": target,
	}
}

// describeState is the State DescribeImage answers for id in region and
// project, or "" when that region and project do not list it.
func describeState(t *testing.T, s *Server, region, project, id string) string {
	t.Helper()
	a := call(t, s, apiclient.Params{"Action": "DescribeImage", "Region": region, "ProjectId": project, "ImageId": id})
	if code := a.retCode(t); code != 0 {
		t.Fatalf("DescribeImage RetCode %d: %s", code, a.raw)
	}
	rows, _ := a.json["ImageSet"].([]any)
	if len(rows) == 0 {
		return ""
	}
	return rows[0].(map[string]any)["State"].(string)
}

func TestCopyIsCopyingInItsTargetRegionThenAvailable(t *testing.T) {
	s := newServer(t, Options{Copies: CopyOptions{CopyingPolls: 2}})
	src := availableImage(t, s, "cn-bj2")
	a := call(t, s, copyParams(src, "hk"))
	if code := a.retCode(t); code != 0 {
		t.Fatalf("RetCode %d: %s", code, a.raw)
	}
	id, _ := a.json["TargetImageId"].(string)
	if !strings.HasPrefix(id, "uimage-") || a.json["TaskId"] == "" {
		t.Fatalf("answer %s: want TargetImageId and TaskId", a.raw)
	}
	if got := describeState(t, s, "cn-bj2", "", id); got != "" {
		t.Errorf("the copy is listed in the source region as %q; it lives only in hk", got)
	}
	for i, want := range []string{"Copying", "Copying", "Available", "Available"} {
		if got := describeState(t, s, "hk", DefaultProjectID, id); got != want {
			t.Fatalf("poll %d in hk: %q, want %q", i+1, got, want)
		}
	}
	if got := describeState(t, s, "cn-bj2", "", src); got != "Available" {
		t.Errorf("source is %q after the copy, want Available", got)
	}
	copies := s.Copies()
	if len(copies) != 1 || copies[0] != (Copy{SourceImageID: src, SourceRegion: "cn-bj2", TargetImageID: id,
		TargetRegion: "hk", TargetProjectID: DefaultProjectID, TaskID: a.json["TaskId"].(string)}) {
		t.Errorf("Copies() = %+v", copies)
	}
}

func TestCopyToAnotherProjectInTheSameRegion(t *testing.T) {
	s := newServer(t, Options{Copies: CopyOptions{CopyingPolls: -1}})
	src := availableImage(t, s, "cn-bj2")
	p := copyParams(src, "")
	p["TargetProjectId"] = "org-demo02"
	p["TargetImageName"] = "golden-staging"
	a := call(t, s, p)
	if code := a.retCode(t); code != 0 {
		t.Fatalf("RetCode %d: %s", code, a.raw)
	}
	id := a.json["TargetImageId"].(string)
	if got := describeState(t, s, "cn-bj2", "org-demo02", id); got != "Available" {
		t.Errorf("copy in org-demo02: %q, want Available at once (CopyingPolls < 0)", got)
	}
	if got := describeState(t, s, "cn-bj2", DefaultProjectID, id); got != "" {
		t.Errorf("the copy is listed in the source's project as %q", got)
	}
	for _, im := range s.Images() {
		if im.ImageID == id && im.ImageName != "golden-staging" {
			t.Errorf("copy named %q, want TargetImageName", im.ImageName)
		}
	}
}

func TestCopyRefusals(t *testing.T) {
	s := newServer(t, Options{MakingPolls: 5})
	making := importImage(t, s, nil)
	src := availableImage(t, s, "cn-bj2")
	bj1 := availableImage(t, s, "cn-bj1")
	tests := []struct {
		name    string
		set     apiclient.Params // "" deletes
		want    int
		wantMsg string
	}{
		{"missing SourceImageId", apiclient.Params{"SourceImageId": ""}, 230, "[SourceImageId]"},
		{"missing TargetProjectId", apiclient.Params{"TargetProjectId": ""}, 230, "[TargetProjectId]"},
		{"missing Region", apiclient.Params{"Region": ""}, 230, "[Region]"},
		{"unknown TargetRegion", apiclient.Params{"TargetRegion": "mars-1"}, 230, "[TargetRegion]"},
		{"unknown TargetProjectId", apiclient.Params{"TargetProjectId": "org-nope"}, 292, "org-nope"},
		{"source in another region", apiclient.Params{"Region": "sg"}, 8956, src},
		{"no such source", apiclient.Params{"SourceImageId": "uimage-nope"}, 8956, "uimage-nope"},
		{"Making source", apiclient.Params{"SourceImageId": making}, 230, "Making"},
		{"cn-bj1 target", apiclient.Params{"TargetRegion": "cn-bj1"}, 230, "[TargetRegion]"},
		{"cn-bj1 source", apiclient.Params{"Region": "cn-bj1", "SourceImageId": bj1}, 230, "[Region]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := copyParams(src, "hk")
			maps.Copy(p, tc.set)
			a := call(t, s, p)
			if code := a.retCode(t); code != tc.want {
				t.Fatalf("RetCode %d, want %d: %s", code, tc.want, a.raw)
			}
			if msg, _ := a.json["Message"].(string); !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("Message %q does not name %q", msg, tc.wantMsg)
			}
		})
	}
	if n := len(s.Copies()); n != 0 {
		t.Errorf("%d copies made by refused requests", n)
	}
}

func TestCopyNeedsAValidSignature(t *testing.T) {
	s := newServer(t, Options{})
	src := availableImage(t, s, "cn-bj2")
	a := send(t, s.Handler(), http.MethodPost, signedForm(copyParams(src, "hk"), PublicKey, "wrong-private-key"))
	if code := a.retCode(t); code != 171 {
		t.Fatalf("RetCode %d, want 171: %s", code, a.raw)
	}
	if len(s.Copies()) != 0 {
		t.Error("an unsigned copy was made")
	}
}

func TestCopyRefusalsAndUnavailableTargetsAreConfigurable(t *testing.T) {
	s := newServer(t, Options{Copies: CopyOptions{
		CopyingPolls:       1,
		Refuse:             map[string]Refusal{"jpn-tky": {RetCode: 299, Message: "copy image not enabled"}},
		UnavailableTargets: []string{"sg"},
	}})
	src := availableImage(t, s, "cn-bj2")
	if a := call(t, s, copyParams(src, "jpn-tky")); a.retCode(t) != 299 || a.json["Message"] != "copy image not enabled" {
		t.Errorf("jpn-tky: %s, want RetCode 299 with the configured message", a.raw)
	}
	// Refuse replaces the defaults: cn-bj1 is accepted now.
	if a := call(t, s, copyParams(src, "cn-bj1")); a.retCode(t) != 0 {
		t.Errorf("cn-bj1 with its own Refuse map: %s", a.raw)
	}
	a := call(t, s, copyParams(src, "sg"))
	id := a.json["TargetImageId"].(string)
	for i, want := range []string{"Copying", "Unavailable", "Unavailable"} {
		if got := describeState(t, s, "sg", DefaultProjectID, id); got != want {
			t.Fatalf("poll %d in sg: %q, want %q", i+1, got, want)
		}
	}
}
