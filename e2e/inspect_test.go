package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/guestimage"
)

// uimport inspect on a local disk built with the real tools: the report on
// stdout, exit 0 when nothing blocks; -o json is the report as documented.
func TestInspectLocalImage(t *testing.T) {
	path := guestimage.BuildT(t, guestimage.CentOS6(), "qcow2")
	r := run(t, runOpts{}, "inspect", path)
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, "CentOS release 6", "Partitions  MBR", "ext3 on /dev/vda1", "--os-type CentOS",
		"Warnings", "device-names", "Fix:", "Nothing blocks the import")

	r = run(t, runOpts{}, "inspect", path, "-o", "json", "--os-type", "Ubuntu")
	wantCode(t, r, 7)
	var rep inspect.Report
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("stdout is not the report: %v\n%s", err, r.Stdout)
	}
	if rep.Format != "qcow2" || rep.PartitionTable != "mbr" || rep.OS == nil || rep.OS.ID != "centos" || !rep.Has("os-mismatch") || rep.Findings[0].Severity != inspect.Block {
		t.Errorf("report %+v", rep)
	}
}

// An object over HTTP (ranged GETs from the simulator), and a blocking
// finding: exit 7, the finding and its fix.
func TestInspectRemoteImage(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, "inspect", demoapi.DemoImageURL(srv.URL(), "guests/rocky-9-gpt.qcow2"), "--base-url", srv.URL(), "--region", "cn-bj2")
	wantCode(t, r, 7)
	wantIn(t, "stdout", r.Stdout, "Rocky Linux 9.3", "ranged GET", "gpt:", "sgdisk --gpttombr", "1 finding blocks the import")
	if n := srv.Count("DescribeImage"); n != 1 {
		t.Errorf("%d DescribeImage calls for the base-image names, want 1", n)
	}
}

// The automatic check: a declared OS of another family stops import --yes
// with exit 2 before anything is sent; --skip-check sends it.
func TestImportStopsOnBlockingFinding(t *testing.T) {
	srv := startAPI(t)
	args := []string{"import", "--yes", "--base-url", srv.URL(), "--allow-http", "--region", "sg", "--name", "inspected",
		"--url", demoapi.DemoImageURL(srv.URL(), "guests/ubuntu-22.04-mbr.qcow2"),
		"--os-type", "CentOS", "--os-name", "CentOS 7.9 64位", "--format", "qcow2"}
	r := run(t, runOpts{Env: keyEnv()}, args...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "Image inspected: Ubuntu 22.04", "Declared OS type CentOS", "--os-type Ubuntu", "--skip-check")
	if n := srv.Count("ImportCustomImage"); n != 0 {
		t.Fatalf("%d imports sent despite the blocking finding", n)
	}
	r = run(t, runOpts{Env: keyEnv()}, append(args, "--skip-check")...)
	wantCode(t, r, 0)
	wantNotIn(t, "stderr", r.Stderr, "Image inspected")
	wantOneValidImport(t, srv)
	if !strings.HasPrefix(r.Stdout, "uimage-") {
		t.Errorf("stdout %q", r.Stdout)
	}
}
