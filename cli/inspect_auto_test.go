package cli

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/importer"
)

// import --file --yes: a blocking finding stops before a byte is sent, with
// exit 2 and the fix; --skip-check goes on; warnings are printed and the
// import proceeds.
func TestImportFileInspected(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Demo = true
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Yes: true}
	opts.File = importer.FileSpec{Path: demoImageFile(t, "guests/debian-12-novirtio.vhd"), Bucket: demoapi.DemoBucket, Parallel: 2}
	err := runImport(opts)
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "virtio_blk") || !strings.Contains(importer.Explain(err).ToDo, "--skip-check") {
		t.Fatalf("exit %d: %v\n%s", ExitCode(err), err, r.err)
	}
	if strings.Contains(r.err.String(), "Uploaded") || r.out.Len() != 0 {
		t.Errorf("uploaded despite a blocking finding:\n%s", r.err)
	}

	r = newTestRun(t)
	r.f.flags.Demo = true
	opts = &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Yes: true, SkipCheck: true}
	opts.File = importer.FileSpec{Path: demoImageFile(t, "guests/debian-12-novirtio.vhd"), Bucket: demoapi.DemoBucket, Parallel: 2}
	opts.Spec.Format = "VHD"
	if err := runImport(opts); err != nil || !strings.HasPrefix(r.out.String(), "uimage-") {
		t.Fatalf("--skip-check: %v\n%s", err, r.err)
	}
	if strings.Contains(r.err.String(), "Image inspected") {
		t.Errorf("inspected despite --skip-check:\n%s", r.err)
	}

	r = newTestRun(t)
	r.f.flags.Demo = true
	opts = &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Yes: true}
	opts.File = importer.FileSpec{Path: demoImageFile(t, "guests/centos-6-sda.vmdk"), Bucket: demoapi.DemoBucket, Parallel: 2}
	if err := runImport(opts); err != nil {
		t.Fatalf("warnings only: %v\n%s", err, r.err)
	}
	for _, want := range []string{"Image inspected: CentOS", "! warning: ", "/dev/sda", "Import submitted"} {
		if !strings.Contains(r.err.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.err)
		}
	}
}

// import --url --dry-run: the object is inspected over HTTP; a declared
// OS of another family blocks, and a format mismatch is said once (by
// the container check).
func TestImportURLInspected(t *testing.T) {
	r := newTestRun(t)
	base := r.simulator(t)
	opts := &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), DryRun: true}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = "cn-bj2", "web", "CentOS", "CentOS 7.9 64位"
	opts.Spec.Format, opts.Spec.URL, opts.Spec.AllowHTTP = "qcow2", demoapi.DemoImageURL(base, "guests/ubuntu-22.04-mbr.qcow2"), true
	err := runImport(opts)
	if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "Declared OS type CentOS") {
		t.Fatalf("os mismatch: exit %d: %v\n%s", ExitCode(err), err, r.err)
	}

	r = newTestRun(t)
	base = r.simulator(t)
	opts = &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), DryRun: true}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = "cn-bj2", "web", "Rocky", "Rocky Linux 9.3 64位"
	opts.Spec.Format, opts.Spec.URL, opts.Spec.AllowHTTP = "VMDK", demoapi.DemoImageURL(base, "guests/rocky-9-gpt.qcow2"), true
	err = runImport(opts)
	if ExitCode(err) != ExitUsage || strings.Count(err.Error(), "format given is VMDK") != 1 || strings.Contains(r.err.String(), "Image inspected") {
		t.Errorf("format mismatch: exit %d: %v\n%s", ExitCode(err), err, r.err)
	}

	r = newTestRun(t)
	base = r.simulator(t)
	opts = &ImportOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), DryRun: true}
	opts.Spec.Region, opts.Spec.Name, opts.Spec.OsType, opts.Spec.OsName = "cn-bj2", "web", "Ubuntu", "Ubuntu 22.04 64位"
	opts.Spec.Format, opts.Spec.URL, opts.Spec.AllowHTTP = "qcow2", demoapi.DemoImageURL(base, "guests/ubuntu-22.04-mbr.qcow2"), true
	if err := runImport(opts); err != nil || !strings.Contains(r.err.String(), "Image inspected: Ubuntu 22.04") || !strings.Contains(r.out.String(), "ImportCustomImage") {
		t.Errorf("clean: %v\n%s\n%s", err, r.err, r.out)
	}
}

// upload: a blocking finding stops it (exit 2) unless --skip-check.
func TestUploadInspected(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Demo = true
	opts := &UploadOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), File: importer.FileSpec{Path: demoImageFile(t, "guests/rocky-9-gpt.qcow2"), Parallel: 2}}
	if err := runUpload(opts); ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "GPT") {
		t.Errorf("exit %d: %v\n%s", ExitCode(err), err, r.err)
	}
	opts.SkipCheck = true
	if err := runUpload(opts); err != nil {
		t.Errorf("--skip-check: %v", err)
	}
}
