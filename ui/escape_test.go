package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// A server's or proxy's text on a wizard screen is escaped: it can neither
// retitle the terminal nor start a line of its own.
func TestWizardEscapesUntrustedText(t *testing.T) {
	api := newFakeAPI()
	api.regionErr = errors.New("\x1b]0;X\x07")
	api.projectErr = api.regionErr
	r := startWizard(t, testOptions(api, envStore()))
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "region")
	s := r.p.waitText(t, `(\x1b]0;X\x07)`)
	if strings.ContainsAny(s.raw, "\x07") || strings.Contains(s.raw, "\x1b]0;") {
		t.Errorf("raw control characters on the screen:\n%q", s.raw)
	}
}

// The same for an error listing the buckets, shown beside the bucket field.
func TestFileStepEscapesBucketListError(t *testing.T) {
	opts := fileOptions(newFakeAPI(), newFakeCheck(), &fakeUpload{}, nil)
	hooks(opts).buckets = func(context.Context, apiclient.Keys, string) ([]string, error) {
		return nil, errors.New("\x1b]0;X\x07")
	}
	r := startWizard(t, opts)
	toFile(t, r)
	r.Type(imageFile(t, "web.qcow2"))
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "bucket")
	s := r.p.waitText(t, `(\x1b]0;X\x07)`)
	if strings.ContainsAny(s.raw, "\x07") || strings.Contains(s.raw, "\x1b]0;") {
		t.Errorf("raw control characters on the screen:\n%q", s.raw)
	}
}
