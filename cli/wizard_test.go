package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ui"
)

// Bare uimport without a terminal is help, not a wizard nobody can answer.
func TestRootWithoutTerminalIsHelp(t *testing.T) {
	r := newTestRun(t)
	cmd := NewCmdRoot(r.f)
	cmd.SetArgs(nil)
	cmd.SetOut(r.out)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.out.String(), "uimport import --yes") {
		t.Errorf("help:\n%s", r.out)
	}
}

// How the wizard ended decides what is printed and the exit code.
func TestReportWizard(t *testing.T) {
	r := newTestRun(t)
	sess, err := importer.Open(r.f.sessionConfig(importer.Settings{Profile: "default", BaseURL: apiclient.DefaultBaseURL}))
	if err != nil {
		t.Fatal(err)
	}
	spec := importspec.Spec{Region: "sg", Name: "web", URL: "https://b.sg.ufileos.com/w.qcow2", OsType: "Other", OsName: "Other", Format: "qcow2"}
	for _, tc := range []struct {
		name string
		res  ui.Result
		exit int
		out  string
	}{
		{"submitted", ui.Result{Spec: spec, ImageID: "uimage-1", State: apiclient.StateMaking}, ExitOK, "uimage-1\n"},
		{"unavailable", ui.Result{Spec: spec, ImageID: "uimage-2", State: apiclient.StateUnavailable}, ExitUnavailable, "uimage-2\n"},
		{"refused", ui.Result{Spec: spec, Err: &apiclient.APIError{RetCode: 171}}, ExitAPIRefused, ""},
		{"maybe sent", ui.Result{Spec: spec, Interrupted: true, MaybeSent: true}, ExitInterrupted, ""},
		{"upload stopped", ui.Result{Spec: spec, Interrupted: true, UploadStopped: true}, ExitInterrupted, ""},
		{"cancelled", ui.Result{Spec: spec, Cancelled: true}, ExitInterrupted, ""},
	} {
		r.out.Reset()
		r.err.Reset()
		err := reportWizard(r.f.IOStreams, sess, tc.res)
		if ExitCode(err) != tc.exit || r.out.String() != tc.out {
			t.Errorf("%s: exit %d (%v), stdout %q", tc.name, ExitCode(err), err, r.out)
		}
		if tc.res.ImageID != "" && !strings.Contains(r.err.String(), "Next time: uimport import --yes --region sg --name web") {
			t.Errorf("%s: no repeat command:\n%s", tc.name, r.err)
		}
	}
	err = reportWizard(r.f.IOStreams, sess, ui.Result{Interrupted: true, UploadStopped: true})
	if !errors.Is(err, importer.ErrInterrupted) || importer.Explain(err).ToDo == "" {
		t.Errorf("upload stopped: %v", err)
	}
}

// A user who went on past a blocking check in the wizard gets a repeat
// command that does the same; one who did not, does not.
func TestReportWizardRepeatsSkipCheck(t *testing.T) {
	r := newTestRun(t)
	sess, err := importer.Open(r.f.sessionConfig(importer.Settings{Profile: "default", BaseURL: apiclient.DefaultBaseURL}))
	if err != nil {
		t.Fatal(err)
	}
	spec := importspec.Spec{Region: "sg", Name: "web", URL: "https://b.sg.ufileos.com/w.qcow2", OsType: "Other", OsName: "Other", Format: "qcow2"}
	for _, overridden := range []bool{true, false} {
		r.err.Reset()
		if err := reportWizard(r.f.IOStreams, sess, ui.Result{Spec: spec, ImageID: "uimage-1", State: apiclient.StateMaking, ChecksOverridden: overridden}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(r.err.String(), "--skip-check"); got != overridden {
			t.Errorf("overridden=%v: --skip-check in the repeat command = %v:\n%s", overridden, got, r.err)
		}
	}
}
