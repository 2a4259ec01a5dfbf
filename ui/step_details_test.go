package ui

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/importspec"
)

// gotoStep walks from the first screen to step id with quick valid answers.
func gotoStep(t *testing.T, r *run, id stepID) {
	t.Helper()
	for s := stepCredentials; s < id; s++ {
		advance(t, r, s)
	}
}

func TestDetailsValidatesNameAsYouType(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	gotoStep(t, r, stepDetails)
	r.p.waitFocus(t, "name")
	r.Type("web base!")
	s := r.p.waitText(t, `'!' is not allowed`)
	requireGolden(t, s.raw)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "is not allowed")
	if s := r.p.get(); s.focus != "name" {
		t.Fatalf("an invalid name was accepted; focus moved to %q", s.focus)
	}
}

func TestDetailsOtherLocksOsName(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	gotoStep(t, r, stepDetails)
	r.p.waitFocus(t, "name")
	r.Type("legacy")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "ostype")
	r.Send(keyDownMsg) // Ubuntu: the name follows the type
	s := r.p.waitFor(t, "an Ubuntu OS name", func(s snapshot) bool { return s.spec.OsName == "Ubuntu 24.04 64位" })
	for range len(importspec.OsTypes) - 2 {
		r.Send(keyDownMsg)
	}
	s = r.p.waitFor(t, "OS type Other", func(s snapshot) bool { return s.spec.OsType == importspec.OsTypeOther })
	if s.spec.OsName != importspec.OsTypeOther {
		t.Errorf("OS name %q with type Other", s.spec.OsName)
	}
	r.Send(keyEnterMsg)
	s = r.p.waitFocus(t, "format") // the locked OS name, on the next page, is skipped
	if !strings.Contains(s.view, "Fixed to Other") {
		t.Errorf("the locked OS name does not say why:\n%s", s.view)
	}
}

func TestDetailsTypedOsNameIsKept(t *testing.T) {
	opts := testOptions(newFakeAPI(), envStore())
	opts.Spec.OsName = "My Linux 1.0"
	r := startWizard(t, opts)
	gotoStep(t, r, stepDetails)
	r.p.waitFocus(t, "name")
	r.Type("x")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "ostype")
	r.Send(keyDownMsg)
	s := r.p.waitFor(t, "type Ubuntu", func(s snapshot) bool { return s.spec.OsType == "Ubuntu" })
	if s.spec.OsName != "My Linux 1.0" {
		t.Errorf("a typed OS name was replaced by %q", s.spec.OsName)
	}
}
