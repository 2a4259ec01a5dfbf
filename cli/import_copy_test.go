package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/report"
	"github.com/uimport/uimport/ui"
)

// importCopyOpts is an `import --yes` of a simulator object into region.
func importCopyOpts(t *testing.T, r *testRun, srv *demoapi.Server, region string) *ImportOptions {
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Yes: true}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = region, "golden", "Ubuntu", "Ubuntu 22.04 64位"
	opts.Spec.Format, opts.Spec.URL, opts.Spec.AllowHTTP = "qcow2", demoapi.DemoObjectURL(srv.URL(), "qcow2"), true
	opts.Wait.Timeout = 60e9
	return opts
}

// import --copy-to hk,sg --wait: the import, then one copy per target
// once it is Available, each followed; stdout has the source's ImageId
// and each copy's, one per line.
func TestRunImportCopyTo(t *testing.T) {
	r := newTestRun(t)
	srv, _ := copySimulator(t, r, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}}, false)
	opts := importCopyOpts(t, r, srv, "cn-bj2")
	opts.Wait.Wait, opts.Copy.To = true, []string{"hk,sg"}
	if err := runImport(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	copies := srv.Copies()
	lines := strings.Fields(r.out.String())
	if len(copies) != 2 || len(lines) != 3 || lines[1] != copies[0].TargetImageID || lines[2] != copies[1].TargetImageID ||
		copies[0].SourceImageID != lines[0] || copies[0].TargetRegion != "hk" {
		t.Fatalf("stdout %q, copies %+v\n%s", r.out, copies, r.err)
	}
	if n := srv.Count(apiclient.ActionImportCustomImage); n != 2 { // the fixture's source and this one
		t.Errorf("%d imports", n)
	}
	for _, c := range copies {
		if !slices.Contains(describedIn(srv, c.TargetImageID), c.TargetRegion+"/"+demoapi.DefaultProjectID) {
			t.Errorf("copy %s not followed in %s", c.TargetImageID, c.TargetRegion)
		}
	}
}

// --via cn-bj2 for hk: imported in the hub, copied to hk, the hub image
// kept and said so; -o json lists both with their states.
func TestRunImportVia(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Output = "json"
	srv, _ := copySimulator(t, r, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}}, false)
	opts := importCopyOpts(t, r, srv, "hk")
	opts.Wait.Wait, opts.Copy.Via = true, "cn-bj2"
	if err := runImport(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	var got []report.ImageRecord
	if err := json.Unmarshal(r.out.Bytes(), &got); err != nil || len(got) != 2 {
		t.Fatalf("%v: %s", err, r.out)
	}
	if got[0].Region != "cn-bj2" || got[0].State != "Available" || got[1].Region != "hk" || got[1].State != "Available" || got[1].CopyOf != got[0].ImageID {
		t.Errorf("records %+v", got)
	}
	for _, q := range srv.Requests() {
		if q.Action == apiclient.ActionImportCustomImage && q.Params["ImageName"] == "golden" && q.Params["UFileUrl"] == opts.Spec.URL && q.Params["Region"] != "cn-bj2" {
			t.Errorf("import sent to %s, want the hub", q.Params["Region"])
		}
	}
	if !strings.Contains(r.err.String(), "The image imported in cn-bj2 ("+got[0].ImageID+") is kept") {
		t.Errorf("no word on the hub image:\n%s", r.err)
	}
}

// An Unavailable copy after an import: exit 5, the import and the other
// copy kept and printed.
func TestRunImportCopyToOneUnavailable(t *testing.T) {
	r := newTestRun(t)
	srv, _ := copySimulator(t, r, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1, UnavailableTargets: []string{"hk"}}}, false)
	opts := importCopyOpts(t, r, srv, "cn-bj2")
	opts.Wait.Wait, opts.Copy.To = true, []string{"hk", "sg"}
	err := runImport(opts)
	if ExitCode(err) != ExitUnavailable || !strings.Contains(err.Error(), "hk (") {
		t.Fatalf("exit %d: %v\n%s", ExitCode(err), err, r.err)
	}
	if lines := strings.Fields(r.out.String()); len(lines) != 3 {
		t.Errorf("stdout %q: want the import and both copies", r.out)
	}
}

// Nothing is sent for copy flags that cannot work: cn-bj1 as a source
// says to go through a hub; --copy-to without --yes on no terminal is
// the usual usage error, after the copy flags were checked.
func TestRunImportCopyFlagsCheckedFirst(t *testing.T) {
	r := newTestRun(t)
	srv, _ := copySimulator(t, r, demoapi.Options{MakingPolls: -1}, false)
	sent := len(srv.Requests())
	opts := importCopyOpts(t, r, srv, "cn-bj1")
	opts.Copy.To = []string{"hk"}
	if err := runImport(opts); ExitCode(err) != ExitUsage || !strings.Contains(err.Error()+importerHint(err), "--via cn-bj2") {
		t.Errorf("cn-bj1 source: exit %d, %v", ExitCode(err), err)
	}
	opts = importCopyOpts(t, r, srv, "hk")
	opts.Copy.Via = "hk"
	if err := runImport(opts); ExitCode(err) != ExitUsage {
		t.Errorf("--via its own region: exit %d, %v", ExitCode(err), err)
	}
	if n := len(srv.Requests()); n != sent {
		t.Errorf("%d requests sent", n-sent)
	}
}

func importerHint(err error) string { return importer.Explain(err).ToDo }

// The wizard's copies: every ImageId after the import's, exit 5 for an
// Unavailable copy, and a repeat command that copies the same way.
func TestReportWizardCopies(t *testing.T) {
	r := newTestRun(t)
	sess, err := importer.Open(r.f.sessionConfig(importer.Settings{Profile: "default", BaseURL: apiclient.DefaultBaseURL}))
	if err != nil {
		t.Fatal(err)
	}
	spec := importspec.Spec{Region: "sg", Name: "web", URL: "https://b.sg.ufileos.com/w.qcow2", OsType: "Other", OsName: "Other", Format: "qcow2"}
	res := ui.Result{Spec: spec, ImageID: "uimage-src1", State: apiclient.StateAvailable, Copies: []imagecopy.Result{
		{Region: "hk", ImageID: "uimage-hk1", State: apiclient.StateAvailable},
		{Region: "us-ca", ImageID: "uimage-us1", State: apiclient.StateUnavailable, Err: &imagecopy.UnavailableError{Region: "us-ca", ImageID: "uimage-us1"}},
	}}
	err = reportWizard(r.f.IOStreams, sess, res)
	if ExitCode(err) != ExitUnavailable || r.out.String() != "uimage-src1\nuimage-hk1\nuimage-us1\n" {
		t.Errorf("exit %d (%v), stdout %q", ExitCode(err), err, r.out)
	}
	wantRepeat := "--format qcow2 --wait --copy-to hk,us-ca"
	if !strings.Contains(r.err.String(), wantRepeat) || !strings.Contains(r.err.String(), "✗ us-ca:") {
		t.Errorf("stderr lacks %q or the failed copy:\n%s", wantRepeat, r.err)
	}
}
