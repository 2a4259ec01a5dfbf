package ui

import (
	"strings"
	"testing"
)

func TestAuthRefusalCannotGoOn(t *testing.T) {
	api := newFakeAPI()
	opts := testOptions(api, envStore())
	opts.Spec.OsType = "Windows"
	r := startWizard(t, opts)
	gotoStep(t, r, stepAuth)
	s := r.p.waitFocus(t, "auth")
	for _, want := range []string{"MBR partition table (not GPT)", "NTFS"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("screen lacks %q:\n%s", want, s.view)
		}
	}
	r.Send(char('n'))
	s = r.p.waitText(t, "Without your authorisation the import cannot go on")
	requireGolden(t, s.raw)
	if s.step != stepAuth {
		t.Fatalf("No went on to step %d", s.step)
	}
	r.Send(keyEnterMsg) // No is still chosen: still no
	r.p.waitText(t, "cannot go on")
	r.Send(char('y'))
	r.p.waitStep(t, stepPreview)
}
