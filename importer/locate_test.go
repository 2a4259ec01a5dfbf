package importer

import (
	"strings"
	"testing"
)

func TestLocateImage(t *testing.T) {
	home := t.TempDir()
	if _, err := LocateImage(home, "", "sg", "", Settings{}); Classify(err) != ClassInput {
		t.Errorf("no ImageId: %v", err)
	}
	if _, err := LocateImage(home, "uimage-abc12345", "", "", Settings{}); Classify(err) != ClassInput || !strings.Contains(Explain(err).ToDo, "--region") {
		t.Errorf("no region: %v", err)
	}
	loc, err := LocateImage(home, "uimage-abc12345", "", "", Settings{Region: "hk", ProjectID: "org-1"})
	if err != nil || loc.Region != "hk" || loc.ProjectID != "org-1" || loc.Copy != nil {
		t.Errorf("defaults: %+v, %v", loc, err)
	}
	if loc, _ := LocateImage(home, "uimage-abc12345", "sg", "org-2", Settings{Region: "hk"}); loc.Region != "sg" || loc.ProjectID != "org-2" {
		t.Errorf("flags first: %+v", loc)
	}
}

func TestCopyRequestLocate(t *testing.T) {
	home := t.TempDir()
	r := CopyRequest{ImageID: "uimage-abc12345", To: []string{"hk"}}
	if err := r.Locate(home, Settings{}); Classify(err) != ClassInput || !strings.Contains(Explain(err).ToDo, "source image's region") {
		t.Errorf("no region: %v", err)
	}
	r = CopyRequest{ImageID: "uimage-abc12345", To: []string{"hk"}}
	if err := r.Locate(home, Settings{Region: "cn-bj2", ProjectID: "org-1"}); err != nil || r.Region != "cn-bj2" || r.ProjectID != "org-1" {
		t.Errorf("defaults: %+v, %v", r, err)
	}
	r = CopyRequest{ImageID: "uimage-abc12345", Region: "cn-bj2", To: []string{"cn-bj2"}}
	if err := r.Locate(home, Settings{}); Classify(err) != ClassInput {
		t.Errorf("checked: %v", err)
	}
}
