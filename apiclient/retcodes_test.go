package apiclient_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// notedRetCodes is the "RetCodes worth explaining" list in docs/API.md.
var notedRetCodes = []int{110, 130, 150, 153, 160, 161, 170, 171, 172, 174, 230,
	292, 293, 294, 295, 299, 8095, 8104, 8226, 8300, 8301, 8305, 8956}

func TestEveryNotedRetCodeIsExplained(t *testing.T) {
	generic := apiclient.Explain(-1)
	for _, code := range notedRetCodes {
		info := apiclient.Explain(code)
		if strings.TrimSpace(info.Meaning) == "" || strings.TrimSpace(info.Fix) == "" {
			t.Errorf("%d: Meaning %q Fix %q", code, info.Meaning, info.Fix)
		}
		// A noted code must have its own text, not the fallback's.
		if info.Fix == generic.Fix {
			t.Errorf("%d falls back to the generic fix", code)
		}
	}
}

// KnownRetCodes is what docs are generated from: it must match the notes.
func TestKnownRetCodesMatchNotes(t *testing.T) {
	got := apiclient.KnownRetCodes()
	slices.Sort(got)
	if !slices.Equal(got, notedRetCodes) {
		t.Errorf("KnownRetCodes = %v\nNOTES.md lists %v", got, notedRetCodes)
	}
}

func TestUnknownRetCodeStillHelps(t *testing.T) {
	info := apiclient.Explain(4242)
	if !strings.Contains(info.Meaning, "4242") {
		t.Errorf("Meaning %q does not name the code", info.Meaning)
	}
	if len(info.Fix) < 20 {
		t.Errorf("Fix %q is not advice", info.Fix)
	}
	e := &apiclient.APIError{Action: apiclient.ActionDescribeImage, RetCode: 4242}
	if !strings.Contains(e.Error(), strconv.Itoa(4242)) || e.Hint() == "" {
		t.Errorf("Error %q Hint %q", e.Error(), e.Hint())
	}
}

// The two failures users hit first must point at the likely cause.
func TestSignatureAndUserCodesNameTheCause(t *testing.T) {
	for code, word := range map[int]string{171: "private key", 172: "public key", 294: "whitelist"} {
		info := apiclient.Explain(code)
		if !strings.Contains(info.Meaning+" "+info.Fix, word) {
			t.Errorf("%d: %q / %q does not mention %q", code, info.Meaning, info.Fix, word)
		}
	}
}
