package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// startCopyAPI settles imports and copies at once; copies to the regions
// in unavailable end Unavailable.
func startCopyAPI(t *testing.T, unavailable ...string) *demoapi.Server {
	t.Helper()
	srv := demoapi.New(demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1, UnavailableTargets: unavailable}})
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// import --copy-to --wait, as a script runs it: the source's ImageId and
// each copy's on stdout, one per line; then `copy` of the same image
// finds its region in the journal; history names the copies' source;
// status follows a copy in its own region.
func TestCopyImportCopyToThenCopyHistoryStatus(t *testing.T) {
	srv := startCopyAPI(t)
	home := t.TempDir()
	r := run(t, runOpts{Env: keyEnv(), Home: home}, importArgs(srv.URL(), "--yes", "--wait", "--copy-to", "hk,sg")...)
	wantCode(t, r, 0)
	noNoise(t, r)
	ids := strings.Fields(r.Stdout)
	copies := srv.Copies()
	if len(ids) != 3 || len(copies) != 2 || ids[1] != copies[0].TargetImageID || ids[2] != copies[1].TargetImageID || copies[0].SourceImageID != ids[0] {
		t.Fatalf("stdout %q, copies %+v", r.Stdout, copies)
	}
	wantIn(t, "stderr", r.Stderr, "Copy in hk: "+ids[1]+" is Available", "Copy in sg: "+ids[2]+" is Available")

	r = run(t, runOpts{Env: keyEnv(), Home: home}, "copy", ids[0], "--to", "us-ca", "--wait", "--base-url", srv.URL(), "-o", "json")
	wantCode(t, r, 0)
	var recs []struct{ Region, State string }
	if err := json.Unmarshal([]byte(r.Stdout), &recs); err != nil || len(recs) != 1 || recs[0].Region != "us-ca" || recs[0].State != "Available" {
		t.Fatalf("copy -o json: %v\n%s", err, r.Stdout)
	}
	if n := srv.Count("CopyCustomImage"); n != 3 {
		t.Errorf("%d copy requests, want 3", n)
	}

	r = run(t, runOpts{Env: keyEnv(), Home: home}, "history")
	wantCode(t, r, 0)
	wantIn(t, "history", r.Stdout, "copy of "+ids[0]+" from cn-bj2")

	r = run(t, runOpts{Env: keyEnv(), Home: home}, "status", ids[2], "--wait", "--base-url", srv.URL())
	wantCode(t, r, 0)
	wantIn(t, "status", r.Stderr, "A copy of "+ids[0], ids[2]+" is Available")
}

// --via: imported in the hub, copied to the region asked for; one copy
// Unavailable is exit 5, named, the rest kept and printed.
func TestCopyViaHubOneUnavailable(t *testing.T) {
	srv := startCopyAPI(t, "sg")
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes", "--wait", "--region", "hk", "--via", "cn-bj2", "--copy-to", "sg")...)
	wantCode(t, r, 5)
	noNoise(t, r)
	if ids := strings.Fields(r.Stdout); len(ids) != 3 {
		t.Fatalf("stdout %q: want the hub import and both copies", r.Stdout)
	}
	wantIn(t, "stderr", r.Stderr, "The image imported in cn-bj2", "is kept", "sg (", "became Unavailable", "Kept: hk (")
	for _, q := range srv.Requests() {
		if q.Action == "ImportCustomImage" && q.Params["Region"] != "cn-bj2" {
			t.Errorf("import sent to %s, want the hub cn-bj2", q.Params["Region"])
		}
	}
}

// A refused copy (cn-bj1 as a target) is explained, exit 2, nothing sent;
// status "" is exit 2 with nothing sent.
func TestCopyRefusalsSendNothing(t *testing.T) {
	srv := startCopyAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, "copy", "uimage-abc12345", "--region", "cn-bj2", "--to", "cn-bj1", "--base-url", srv.URL())
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "cn-bj1 does not support image copies")
	r = run(t, runOpts{Env: keyEnv()}, "status", "", "--region", "sg", "--base-url", srv.URL())
	wantCode(t, r, 2)
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
