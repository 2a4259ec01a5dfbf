package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// Two Enters on Submit, or Enters while sending, send once.
func TestSubmitDoubleEnterSendsOnce(t *testing.T) {
	api := newFakeAPI()
	api.sendGate = make(chan struct{})
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyEnterMsg, keyEnterMsg, keyEnterMsg)
	r.p.waitText(t, "Sending ImportCustomImage")
	close(api.sendGate)
	r.p.waitText(t, "Import submitted")
	r.Send(keyEnterMsg, keyEnterMsg) // on to waiting; the second does nothing
	r.p.waitText(t, "Available after")
	if n := api.sendCount(); n != 1 {
		t.Fatalf("SendImport called %d times, want 1", n)
	}
}

// A refusal is explained; going back and pressing Enter does not re-send,
// and quitting reports the API's error (exit 3 in the CLI).
func TestSubmitRefusalExplainedAndNotResent(t *testing.T) {
	api := newFakeAPI()
	api.sendErr = &apiclient.APIError{Action: apiclient.ActionImportCustomImage, RetCode: 230, Message: "Params [UFileUrl] not available"}
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	s := r.p.waitText(t, "What to do:")
	for _, want := range []string{"RetCode 230", "What it means: A parameter is missing or invalid."} {
		if !strings.Contains(s.view, want) {
			t.Errorf("error screen lacks %q:\n%s", want, s.view)
		}
	}
	requireGolden(t, s.raw)
	r.Send(keyEnterMsg) // not a resend
	r.Send(keyEscMsg)
	r.p.waitStep(t, stepPreview)
	r.p.waitText(t, "The last submit failed")
	r.Send(keyEnterMsg) // the cursor is on Back now
	r.p.waitStep(t, stepAuth)
	if n := api.sendCount(); n != 1 {
		t.Fatalf("SendImport called %d times, want 1", n)
	}
	r.Send(char('y'))
	r.p.waitStep(t, stepPreview)
	r.Send(keyLeftMsg, keyEnterMsg) // an explicit Submit sends again
	r.p.waitText(t, "What to do:")
	if n := api.sendCount(); n != 2 {
		t.Fatalf("SendImport called %d times, want 2", n)
	}
	r.Send(char('q'))
	res := r.result(t)
	var ae *apiclient.APIError
	if !errors.As(res.Err, &ae) || ae.RetCode != 230 || res.ImageID != "" || res.Cancelled {
		t.Errorf("result = %+v", res)
	}
}

// Ctrl+C while a submit is in flight says it may have been sent.
func TestSubmitInterruptedInFlight(t *testing.T) {
	api := newFakeAPI()
	api.sendGate = make(chan struct{})
	t.Cleanup(func() { close(api.sendGate) })
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Sending")
	r.Send(keyCtrlCMsg)
	if res := r.result(t); !res.Interrupted || !res.MaybeSent {
		t.Errorf("result = %+v", res)
	}
}

// The Submit hook, not the API, sends when set.
func TestSubmitUsesHook(t *testing.T) {
	api := newFakeAPI()
	opts := testOptions(api, envStore())
	var hooked []apiclient.PreparedRequest
	hooks(opts).submit = func(_ context.Context, req apiclient.PreparedRequest) (string, error) {
		hooked = append(hooked, req)
		return "uimage-hooked", nil
	}
	r := startWizard(t, opts)
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "uimage-hooked")
	r.Send(char('q'))
	res := r.result(t)
	if len(hooked) != 1 || api.sendCount() != 0 || hooked[0].Params["Signature"] == "" || res.ImageID != "uimage-hooked" {
		t.Errorf("hook got %d requests, API %d; result %+v", len(hooked), api.sendCount(), res)
	}
}
