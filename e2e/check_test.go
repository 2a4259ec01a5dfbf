package e2e

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// checkArgs imports one of the simulator's objects, declared as format.
func checkArgs(srv *demoapi.Server, object, format string, extra ...string) []string {
	args := []string{"import", "--yes", "--base-url", srv.URL(), "--allow-http", "--region", "sg",
		"--name", "checked", "--url", object, "--os-type", "Ubuntu", "--os-name", "Ubuntu 22.04 64位", "--format", format}
	return append(args, extra...)
}

func TestCheckMatchingObjectIsImported(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, checkArgs(srv, demoapi.DemoObjectURL(srv.URL(), "qcow2"), "qcow2")...)
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "Object checked: qcow2")
	wantOneValidImport(t, srv)
}

// A qcow2 declared as VMDK is caught before anything is sent.
func TestCheckFormatMismatchBlocks(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, checkArgs(srv, demoapi.DemoObjectURL(srv.URL(), "qcow2"), "VMDK")...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "qcow2", "VMDK", "--skip-check")
	if n := srv.Count("ImportCustomImage"); n != 0 {
		t.Fatalf("%d imports sent despite the mismatch", n)
	}
	// The user may insist.
	r = run(t, runOpts{Env: keyEnv()}, checkArgs(srv, demoapi.DemoObjectURL(srv.URL(), "qcow2"), "VMDK", "--skip-check")...)
	wantCode(t, r, 0)
	wantOneValidImport(t, srv)
}

func TestCheckMissingObjectBlocks(t *testing.T) {
	srv := startAPI(t)
	missing := strings.Replace(demoapi.DemoObjectURL(srv.URL(), "qcow2"), "ubuntu", "no-such", 1)
	r := run(t, runOpts{Env: keyEnv()}, checkArgs(srv, missing, "qcow2")...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", strings.ToLower(r.Stderr), "no object")
	if n := srv.Count("ImportCustomImage"); n != 0 {
		t.Fatalf("%d imports sent for a missing object", n)
	}
}

func TestCheckNotImportableBlocks(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, checkArgs(srv, demoapi.DemoObjectURL(srv.URL(), "VHDX"), "VHD")...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "VHDX", "qemu-img")
}

// An object this machine cannot reach is only a warning: the cloud reads it
// from inside.
func TestCheckUnreachableWarnsAndGoesOn(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, checkArgs(srv, "http://127.0.0.1:1/bucket/disk.qcow2", "qcow2")...)
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "warning")
	wantOneValidImport(t, srv)
}
