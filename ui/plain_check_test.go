package ui

import (
	"context"
	"strings"
	"testing"
)

// Accessible mode checks the object too: a qcow2 declared as VMDK asks
// what to do, and "Set the format" changes what is sent.
func TestAccessibleCheckFormatMismatch(t *testing.T) {
	check := newFakeCheck()
	out := &lockedBuffer{}
	opts := checkOptions(newFakeAPI(), check)
	opts.Accessible, opts.Out = true, out
	opts.In = &answers{lines: []string{
		"", "", "web-base", "", "", // region, project, name, OS type, OS name
		"3",    // format: VMDK
		"", "", // tag, description
		"https://b.sg.ufileos.com/missing.qcow2",
		"1", // the object is missing: edit the URL
		"https://b.sg.ufileos.com/web.qcow2",
		"1", // a qcow2, not VMDK: set the format
		"y", // authorise
		"1", // submit
		"n", // do not wait
	}}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	text := out.String()
	for _, want := range []string{
		"Checking the object…",
		"Problem: there is no object at that key (HTTP 404: file not exist) — check the key's spelling",
		"1. Edit the URL",
		"Object checked: qcow2 (qcow2 v3; virtual size 20 GiB), 256 KiB",
		"Problem: the object is qcow2 but the format given is VMDK",
		"1. Set the format to qcow2 (recommended)",
		"Format set to qcow2.",
		"  Format: qcow2",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "Press Enter to keep: edit") || strings.Contains(text, "\x1b[") {
		t.Error("a choice's value, or escape codes, read out")
	}
	if res.ImageID == "" || res.Spec.Format != "qcow2" || check.calls() != 2 {
		t.Errorf("result %+v after %d checks", res, check.calls())
	}
	if t.Failed() || testing.Verbose() {
		t.Log(text)
	}
}

// "Continue anyway" goes on with the declared format and the review says so.
func TestAccessibleCheckContinueAnyway(t *testing.T) {
	out := &lockedBuffer{}
	opts := checkOptions(newFakeAPI(), newFakeCheck())
	opts.Accessible, opts.Out = true, out
	opts.In = &answers{lines: []string{
		"", "", "web-base", "", "", "3", "", "",
		"https://b.sg.ufileos.com/web.qcow2",
		"2", // continue anyway as VMDK
		"y", "1", "n",
	}}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if text := out.String(); !strings.Contains(text, "Warning: continuing despite the object check: the object is qcow2 but the format given is VMDK") {
		t.Errorf("no override warning:\n%s", text)
	}
	if res.Spec.Format != "VMDK" || res.ImageID == "" {
		t.Errorf("result %+v", res)
	}
}
