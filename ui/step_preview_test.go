package ui

import (
	"strings"
	"testing"
)

func TestPreviewShowsSignedRequestMasked(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	walkToPreview(t, r)
	s := r.p.waitText(t, "Signature")
	for _, want := range []string{"POST https://api.example.test/?Action=ImportCustomImage", "ImageName", "web-base",
		"Auth              true", "uclo…6120  (r reveals)"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("preview lacks %q:\n%s", want, s.view)
		}
	}
	if strings.Contains(s.view, testPublicKey) {
		t.Error("public key shown before r")
	}
	requireGolden(t, s.raw)

	r.Send(char('r'))
	r.p.waitText(t, testPublicKey)
	r.Send(char('c'))
	s = r.p.waitText(t, "curl -sS -X POST")
	if !strings.Contains(s.view, "--data-urlencode 'Signature=") {
		t.Errorf("curl view:\n%s", s.view)
	}
	r.Send(keyRightMsg, keyRightMsg) // Cancel
	r.Send(keyEnterMsg)
	res := r.result(t)
	if !res.Cancelled || res.Interrupted || !strings.HasPrefix(res.Curl, "curl ") {
		t.Errorf("result = %+v", res)
	}
}

func TestPreviewBackButtonSendsNothing(t *testing.T) {
	api := newFakeAPI()
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyRightMsg)
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if n := api.sendCount(); n != 0 {
		t.Errorf("Back sent %d requests", n)
	}
}
