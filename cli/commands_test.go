package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/report"
)

// Flags → options: every import flag lands in ImportOptions.
func TestNewCmdImportFlags(t *testing.T) {
	r := newTestRun(t)
	var got *ImportOptions
	parsed(t, NewCmdImport(r.f, func(o *ImportOptions) error { got = o; return nil }),
		"--yes", "--region", "sg", "--name", "web", "--url", "https://b.sg.ufileos.com/w.qcow2", "--os-type", "Ubuntu",
		"--os-name", "Ubuntu 22.04 64位", "--format", "qcow2", "--tag", "prod", "--description", "d", "--wait",
		"--wait-timeout", "5m", "--skip-check", "--bucket", "b", "--parallel", "2", "--accessible")
	s := got.Spec
	if !got.Yes || !got.Wait.Wait || got.Wait.Timeout.Minutes() != 5 || !got.SkipCheck || !got.Accessible ||
		s.Region != "sg" || s.Name != "web" || s.OsName != "Ubuntu 22.04 64位" || s.Tag != "prod" || got.File.Bucket != "b" || got.File.Parallel != 2 {
		t.Errorf("options: %+v", got)
	}
}

func TestNewCmdUploadFlags(t *testing.T) {
	r := newTestRun(t)
	var got *UploadOptions
	parsed(t, NewCmdUpload(r.f, func(o *UploadOptions) error { got = o; return nil }),
		"disk.qcow2", "--bucket", "b", "--key", "k/d.qcow2", "--ufile-endpoint", "https://b.example", "--abort", "--format", "VMDK")
	if got.File.Path != "disk.qcow2" || got.File.Key != "k/d.qcow2" || got.File.Endpoint != "https://b.example" || !got.Abort || got.Format != "VMDK" {
		t.Errorf("options: %+v", got)
	}
}

func TestNewCmdStatusFlags(t *testing.T) {
	r := newTestRun(t)
	var got *StatusOptions
	parsed(t, NewCmdStatus(r.f, func(o *StatusOptions) error { got = o; return nil }), "uimage-1", "--region", "hk", "--wait")
	if got.ImageID != "uimage-1" || got.Region != "hk" || !got.Wait.Wait {
		t.Errorf("options: %+v", got)
	}
}

// --url: checked, signed, sent once, the ImageId alone on stdout; then
// status finds it where the journal says it went, and history lists it.
func TestRunImportStatusHistory(t *testing.T) {
	r := newTestRun(t)
	base := r.simulator(t)
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Yes: true}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = "cn-bj2", "web", "Ubuntu", "Ubuntu 22.04 64位"
	opts.Spec.Format, opts.Spec.URL, opts.Spec.AllowHTTP = "qcow2", demoapi.DemoObjectURL(base, "qcow2"), true
	if err := runImport(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	id := strings.TrimSpace(r.out.String())
	if !strings.HasPrefix(id, "uimage-") || !strings.Contains(r.err.String(), "Object checked: qcow2") ||
		!strings.Contains(r.err.String(), "Credentials: environment") {
		t.Fatalf("stdout %q\nstderr:\n%s", id, r.err)
	}

	r.out.Reset()
	if err := runStatus(&StatusOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), ImageID: id}); err != nil {
		t.Fatalf("status: %v\n%s", err, r.err)
	}
	if !strings.Contains(r.out.String(), "ImageId:  "+id) {
		t.Errorf("status:\n%s", r.out)
	}

	r.out.Reset()
	r.f.flags.Output = "json"
	if err := runHistory(&HistoryOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Limit: 5}); err != nil {
		t.Fatal(err)
	}
	var entries []struct {
		ImageID string `json:"image_id"`
	}
	if err := json.Unmarshal(r.out.Bytes(), &entries); err != nil || len(entries) != 1 || entries[0].ImageID != id {
		t.Errorf("history %v: %s", err, r.out)
	}
}

// Nothing is sent without --yes or --dry-run, and missing values are
// named: exit 2.
func TestRunImportNeedsConsentAndValues(t *testing.T) {
	r := newTestRun(t)
	r.simulator(t)
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t)}
	err := runImport(opts)
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "missing --region, --name") {
		t.Errorf("no values: %v", err)
	}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = "sg", "web", "Other", "Other"
	opts.Spec.Format, opts.Spec.URL = "qcow2", "https://b.sg.ufileos.com/w.qcow2"
	err = runImport(opts)
	if ExitCode(err) != ExitUsage || !strings.Contains(importer.Explain(err).ToDo, "--yes") {
		t.Errorf("no --yes: %v", err)
	}
}

// --dry-run -o json in demo mode: the signed request, nothing sent, no
// journal.
func TestRunImportDryRunDemo(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Demo, r.f.flags.Output = true, "json"
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), DryRun: true, SkipCheck: true}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = "sg", "web", "Other", "Other"
	opts.Spec.Format, opts.Spec.URL = "qcow2", "https://b.sg.ufileos.com/w.qcow2"
	if err := runImport(opts); err != nil {
		t.Fatal(err)
	}
	var dr report.DryRunRecord
	if err := json.Unmarshal(r.out.Bytes(), &dr); err != nil || dr.Params["Signature"] == "" || dr.Params["ImageName"] != "web" {
		t.Errorf("dry run %v: %s", err, r.out)
	}
	if !strings.Contains(r.err.String(), "DEMO") {
		t.Errorf("no demo banner:\n%s", r.err)
	}
	if _, err := os.Stat(filepath.Join(r.f.StateHome(), "uimport")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run wrote state: %v", err)
	}
}

// import --file: checked, uploaded, verified, imported; the URL the import
// reads is the uploaded object's.
func TestRunImportFileDemo(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Demo = true
	path := filepath.Join(t.TempDir(), "disk.qcow2")
	if err := demoapi.WriteSampleImage(path, 1<<20); err != nil {
		t.Fatal(err)
	}
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Yes: true}
	opts.File = importer.FileSpec{Path: path, Bucket: demoapi.DemoBucket, Parallel: 2}
	if err := runImport(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	for _, want := range []string{"File checked: qcow2", "Demo defaults:", "verified: UFile's ETag matches the file", "Import submitted"} {
		if !strings.Contains(r.err.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.err)
		}
	}
	if !strings.HasPrefix(r.out.String(), "uimage-") {
		t.Errorf("stdout %q", r.out)
	}
}

// upload: a generated sample to the simulator, the object's URL on stdout,
// plain progress lines without a terminal.
func TestRunUploadSampleDemo(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Demo, r.f.flags.Output = true, "json"
	path := filepath.Join(t.TempDir(), "sample.qcow2")
	opts := &UploadOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Sample: "1MiB", File: importer.FileSpec{Path: path, Parallel: 2}}
	if err := runUpload(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	var res report.UploadRecord
	if err := json.Unmarshal(r.out.Bytes(), &res); err != nil || !res.Verified || res.Bucket != demoapi.DemoBucket || res.Size != 1<<20 || !res.Demo {
		t.Errorf("result %v: %s", err, r.out)
	}
	if strings.Contains(r.err.String(), "\r") {
		t.Errorf("progress redrawn without a terminal:\n%q", r.err)
	}
}

// upload without a file says how to give one; --sample needs --demo.
func TestRunUploadInputErrors(t *testing.T) {
	r := newTestRun(t)
	opts := &UploadOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), File: importer.FileSpec{Parallel: 4}}
	if err := runUpload(opts); ExitCode(err) != ExitUsage || err.Error() != "no file given" {
		t.Errorf("no file: %v", err)
	}
	opts.Sample = "1MiB"
	if err := runUpload(opts); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--sample needs --demo") {
		t.Errorf("sample without demo: %v", err)
	}
}

// status of an image the API does not list: exit 1 with a hint.
func TestRunStatusUnknownImage(t *testing.T) {
	r := newTestRun(t)
	r.simulator(t)
	err := runStatus(&StatusOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), ImageID: "uimage-nope", Region: "sg"})
	if ExitCode(err) != ExitFailure || importer.Explain(err).ToDo == "" {
		t.Errorf("unknown image: %v (exit %d)", err, ExitCode(err))
	}
}

func TestRunHistoryEmpty(t *testing.T) {
	r := newTestRun(t)
	if err := runHistory(&HistoryOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Limit: 20}); err != nil {
		t.Fatal(err)
	}
	if r.out.Len() != 0 || !strings.Contains(r.err.String(), "No imports yet") {
		t.Errorf("stdout %q, stderr %q", r.out, r.err)
	}
}

// auth status says where the keys come from, never the private key.
func TestRunAuthStatus(t *testing.T) {
	r := newTestRun(t)
	r.simulator(t)
	if err := runAuthStatus(&AuthOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.out.String(), "Source:      environment") || strings.Contains(r.out.String()+r.err.String(), demoapi.PrivateKey) {
		t.Errorf("auth status:\n%s%s", r.out, r.err)
	}
	delete(r.env, "UCLOUD_PUBLIC_KEY")
	if err := runAuthStatus(&AuthOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t)}); ExitCode(err) != ExitUsage {
		t.Errorf("no keys: %v", err)
	}
}

// auth login --stdin wants two lines; without a terminal it never asks.
func TestRunAuthLoginInput(t *testing.T) {
	r := newTestRun(t)
	opts := &AuthOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), FromStdin: true}
	r.f.IOStreams.In = strings.NewReader("only-one-line\n")
	if err := runAuthLogin(opts); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "two lines") {
		t.Errorf("one line: %v", err)
	}
	opts.FromStdin = false
	if err := runAuthLogin(opts); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "no terminal") {
		t.Errorf("no terminal: %v", err)
	}
}

// auth logout without a keyring says what to use instead: exit 2.
func TestRunAuthLogoutNoKeyring(t *testing.T) {
	r := newTestRun(t)
	err := runAuthLogout(&AuthOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t)})
	if ExitCode(err) != ExitUsage || !strings.Contains(importer.Explain(err).ToDo, "UCLOUD_PUBLIC_KEY") {
		t.Errorf("no keyring: %v", err)
	}
}

func TestVersion(t *testing.T) {
	r := newTestRun(t)
	parsed(t, NewCmdVersion(r.f))
	if !strings.HasPrefix(r.out.String(), "uimport test\n") {
		t.Errorf("version: %q", r.out)
	}
}
