package ui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestRegionChoicesDedupeZonesDefaultFirst(t *testing.T) {
	got := regionChoices(newFakeAPI().regions)
	want := []regionChoice{{"sg", "Singapore", true}, {"cn-bj2", "Beijing 2", false}, {"hk", "Hong Kong", false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestRegionFallsBackToDocumentedList(t *testing.T) {
	api := newFakeAPI()
	api.regionErr = &apiclient.APIError{Action: "GetRegion", RetCode: 172, Message: "User not exist"}
	api.projectErr = api.regionErr
	r := startWizard(t, testOptions(api, envStore()))
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	s := r.p.waitFocus(t, "region")
	for _, want := range []string{"Showing the documented regions", "cn-bj1", "the account's default project"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("screen lacks %q:\n%s", want, s.view)
		}
	}
	requireGolden(t, s.raw)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "project")
	r.Send(keyEnterMsg)
	s = r.p.waitStep(t, stepDetails)
	if s.spec.Region != "cn-bj1" || s.spec.ProjectID != "" {
		t.Errorf("region %q project %q", s.spec.Region, s.spec.ProjectID)
	}
}

func TestRegionPrefilledAndDefaultProject(t *testing.T) {
	opts := testOptions(newFakeAPI(), envStore())
	opts.Spec.Region = "hk"
	r := startWizard(t, opts)
	advance(t, r, stepCredentials)
	advance(t, r, stepRegion)
	if s := r.p.get(); s.spec.Region != "hk" || s.spec.ProjectID != "org-aaa" {
		t.Errorf("region %q project %q, want hk and the default project", s.spec.Region, s.spec.ProjectID)
	}
}

func TestRegionFilterAndEscEndsFilterNotStep(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	advance(t, r, stepCredentials)
	r.p.waitFocus(t, "region")
	r.Send(char('/'))
	r.Type("xyz")
	r.p.waitText(t, "/xyz")
	r.Send(keyEscMsg) // ends the filter, not the step
	s := r.p.waitFor(t, "the filter ended", func(s snapshot) bool { return !strings.Contains(s.view, "/xyz") })
	if s.step != stepRegion || s.focus != "region" {
		t.Fatalf("Esc while filtering left the field: step %d focus %q", s.step, s.focus)
	}
	r.Send(char('/'))
	r.Type("hong")
	r.p.waitFor(t, "only Hong Kong listed", func(s snapshot) bool {
		return strings.Contains(s.view, "Hong Kong") && !strings.Contains(s.view, "Singapore")
	})
	r.Send(keyEnterMsg)
	s = r.p.waitFocus(t, "project")
	if s.step != stepRegion || s.spec.Region != "hk" {
		t.Errorf("step %d region %q", s.step, s.spec.Region)
	}
}

func TestRegionDoesNotHaveToWaitForTheAPI(t *testing.T) {
	api := newFakeAPI()
	api.regionGate = make(chan struct{})
	t.Cleanup(func() { close(api.regionGate) })
	r := startWizard(t, testOptions(api, envStore()))
	advance(t, r, stepCredentials)
	r.p.waitText(t, "Loading your regions")
	r.Send(keyEnterMsg)
	s := r.p.waitFocus(t, "region")
	if !strings.Contains(s.view, "cn-bj1") {
		t.Errorf("the documented list is not offered:\n%s", s.view)
	}
}
