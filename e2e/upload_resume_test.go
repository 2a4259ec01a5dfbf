package e2e

import (
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// An upload stopped twice, by Ctrl+C and then by kill -9, finishes on the
// third run of the same command, and no part the server had stored is ever
// sent again: one upload id throughout, every part stored exactly once.
func TestUploadResumesAfterInterruptAndKill(t *testing.T) {
	api := startTLSAPI(t)
	home := t.TempDir()                       // the same state directory for every run
	file := randomFile(t, "disk.raw", 24*mib) // 6 parts of 4 MiB
	args := uploadArgs(api, file, "--skip-check", "--parallel", "2")
	opts := runOpts{Env: api.env(), Home: home}

	stored := func(parts ...int) func() bool {
		return func() bool {
			ids := api.uploadIDs()
			if len(ids) == 0 {
				return false
			}
			got := api.PartsStored(ids[0])
			for _, n := range parts {
				if got[n] == 0 {
					return false
				}
			}
			return true
		}
	}
	// Parts after the ones each run should store crawl (a slow link), so
	// the stop lands mid-upload with parts in flight.
	slow := func(parts ...int) {
		api.ClearUploadFaults()
		api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: parts, BytesPerSecond: 2 << 20})
	}
	// A part cut off by the stop may still be in the server's hands; the
	// log is only final once none is (see PartsInFlight).
	settle := func() {
		waitFor(t, 10*time.Second, "no part in flight", func() bool { return api.PartsInFlight() == 0 })
	}

	// Run 1: Ctrl+C (SIGINT) once parts 0 and 1 are stored (2 and 3 are
	// on their way by then).
	slow(2, 3, 4, 5)
	p := startBin(t, opts, args...)
	waitFor(t, 15*time.Second, "parts 0 and 1 stored", stored(0, 1))
	r := p.stop(t, syscall.SIGINT)
	wantCode(t, r, 130)
	wantIn(t, "stderr", r.Stderr, "Interrupted", "parts stored in UFile", "Run the same command again to resume")
	if r.Stdout != "" {
		t.Errorf("stdout after Ctrl+C = %q, want nothing", r.Stdout)
	}
	settle()

	// Run 2: kill -9 once parts 2 and 3 are stored too.
	slow(4, 5)
	p = startBin(t, opts, args...)
	waitFor(t, 15*time.Second, "parts 2 and 3 stored, a later one in flight", func() bool {
		return stored(0, 1, 2, 3)() && api.PartsInFlight() > 0
	})
	p.stop(t, syscall.SIGKILL)
	settle()

	// Run 3: the same command finishes the job.
	api.ClearUploadFaults()
	r = run(t, opts, append(args, "-o", "json")...)
	wantCode(t, r, 0)
	var out struct {
		URL     string
		Resumed bool
	}
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.Stdout)
	}
	if !out.Resumed || out.URL != api.objectURL(demoapi.DemoBucket, "disk.raw") {
		t.Errorf("stdout %s: want resumed, and the object URL", r.Stdout)
	}
	wantIn(t, "stderr", r.Stderr, "Resumed the interrupted upload", "of 6 parts")
	settle()

	ids := api.uploadIDs()
	if len(ids) != 1 {
		t.Fatalf("upload ids %v: want one upload, resumed, never restarted", ids)
	}
	got := api.PartsStored(ids[0])
	for _, q := range api.UploadRequests() {
		t.Logf("%s part %d: HTTP %d", q.Op, q.Part, q.Status) // 0: cut off by a stop
	}
	for n := range 6 {
		if got[n] != 1 {
			t.Errorf("part %d stored %d times, want exactly once (%v)", n, got[n], got)
		}
	}
	api.wantStored(t, demoapi.DemoBucket, "disk.raw", file)
}
