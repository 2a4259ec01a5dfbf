package ui

import (
	"testing"
)

// "y" at Authorisation, and an Enter typed after it out of habit (even in
// the same read), never submit: the preview opens on Back, and that Enter
// goes back to Authorisation. Submit needs its own ← and Enter.
func TestPreviewOpensOnBackNotSubmit(t *testing.T) {
	api := newFakeAPI()
	r := startGated(t, testOptions(api, envStore()))
	gotoStep(t, r, stepAuth)
	r.p.waitFocus(t, "auth")
	r.Send(char('y'), keyEnterMsg)
	// The preview was shown (its request signed), then Enter went Back.
	r.p.waitFor(t, "the preview, then Authorisation again", func(s snapshot) bool {
		return s.step == stepAuth && s.request.URL != ""
	})
	if n := api.sendCount(); n != 0 {
		t.Fatalf("%d imports sent by keys meant for Authorisation", n)
	}
	r.p.waitFocus(t, "auth")
	r.Send(char('y'))
	r.p.waitStep(t, stepPreview)
	r.Send(keyLeftMsg, keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	if n := api.sendCount(); n != 1 {
		t.Errorf("%d imports sent, want 1", n)
	}
}
