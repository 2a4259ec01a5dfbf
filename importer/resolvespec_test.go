package importer

import (
	"testing"

	"github.com/uimport/uimport/importspec"
)

func TestResolveSpec(t *testing.T) {
	s := Settings{Region: "hk", ProjectID: "org-1"}
	spec, err := ResolveSpec(importspec.Spec{Name: "web"}, FileSpec{}, s, &CopyIntent{})
	if err != nil || spec.Region != "hk" || spec.ProjectID != "org-1" {
		t.Errorf("defaults: %+v, %v", spec, err)
	}
	if _, err := ResolveSpec(importspec.Spec{URL: "https://b.hk.ufileos.com/a.qcow2"}, FileSpec{Path: "a.qcow2"}, s, &CopyIntent{}); Classify(err) != ClassInput {
		t.Errorf("--file with --url: %v", err)
	}
	c := &CopyIntent{Via: "cn-bj2"}
	spec, err = ResolveSpec(importspec.Spec{Region: "hk"}, FileSpec{}, s, c)
	if err != nil || spec.Region != "cn-bj2" || len(c.Plan.Targets) != 1 || c.Plan.Targets[0] != "hk" {
		t.Errorf("--via: %+v, %+v, %v", spec, c.Plan, err)
	}
}
