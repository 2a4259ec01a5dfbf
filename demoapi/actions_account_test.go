package demoapi

import (
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestGetRegion(t *testing.T) {
	s := newServer(t, Options{})
	a := call(t, s, apiclient.Params{"Action": "GetRegion"})
	if a.retCode(t) != 0 || a.json["Action"] != "GetRegionResponse" {
		t.Fatalf("answer %s", a.raw)
	}
	var defaults []string
	seen := map[string]bool{}
	for _, x := range a.json["Regions"].([]any) {
		r := x.(map[string]any)
		for _, k := range []string{"Region", "Zone", "RegionId", "RegionName", "IsDefault", "BitMaps"} {
			if _, ok := r[k]; !ok {
				t.Errorf("row lacks %s: %v", k, r)
			}
		}
		region := r["Region"].(string)
		if !knownRegion(region) {
			t.Errorf("GetRegion lists %s, which actions reject", region)
		}
		seen[region] = true
		if r["IsDefault"] == true {
			defaults = append(defaults, region)
		}
	}
	if len(defaults) != 1 || defaults[0] != "sg" {
		t.Errorf("default regions = %v, want [sg]", defaults)
	}
	for _, r := range []string{"cn-bj2", "cn-sh2", "hk", "sg", "us-ca", "ge-fra", "jpn-tky"} {
		if !seen[r] {
			t.Errorf("GetRegion lacks %s", r)
		}
	}
}

func TestGetProjectList(t *testing.T) {
	s := newServer(t, Options{})
	importImage(t, s, apiclient.Params{"ProjectId": "org-demo02"})
	a := call(t, s, apiclient.Params{"Action": "GetProjectList", "IsFinance": "No"})
	if a.retCode(t) != 0 || toInt(t, a.json["ProjectCount"]) != 2 {
		t.Fatalf("answer %s", a.raw)
	}
	rows := a.json["ProjectSet"].([]any)
	p1, p2 := rows[0].(map[string]any), rows[1].(map[string]any)
	if p1["ProjectId"] != "org-demo01" || p1["ProjectName"] != "Default" || p1["IsDefault"] != true {
		t.Errorf("first project = %v", p1)
	}
	if p2["ProjectId"] != "org-demo02" || p2["ProjectName"] != "staging" || p2["IsDefault"] != false {
		t.Errorf("second project = %v", p2)
	}
	if toInt(t, p2["ResourceCount"]) != 1 || toInt(t, p1["ResourceCount"]) != 0 {
		t.Errorf("ResourceCount = %v, %v", p1["ResourceCount"], p2["ResourceCount"])
	}
	for _, k := range []string{"ParentId", "ParentName", "MemberCount", "CreateTime"} {
		if _, ok := p1[k]; !ok {
			t.Errorf("row lacks %s", k)
		}
	}
}
