package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// startSlowAPI keeps images Making for polls DescribeImage calls.
func startSlowAPI(t *testing.T, polls int) *demoapi.Server {
	t.Helper()
	srv := demoapi.New(demoapi.Options{MakingPolls: polls})
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestFollowWaitToAvailable(t *testing.T) {
	srv := startSlowAPI(t, 1) // one Making answer, then Available after the first 2 s wait
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes", "--wait")...)
	wantCode(t, r, 0)
	id := strings.TrimSpace(r.Stdout)
	if !strings.HasPrefix(id, "uimage-") {
		t.Fatalf("stdout = %q, want the ImageId alone", r.Stdout)
	}
	// Not a terminal: timestamped lines, one per state.
	wantIn(t, "stderr", r.Stderr, id+": Making", id+": Available", "is Available")
	if n := srv.Count("ImportCustomImage"); n != 1 {
		t.Fatalf("%d imports sent, want 1", n)
	}
}

func TestFollowUnavailableExits5WithCauses(t *testing.T) {
	srv := startAPI(t)
	args := importArgs(srv.URL(), "--yes", "--wait", "--output", "json")
	for i, a := range args {
		if a == testURL {
			args[i] = "https://mybucket.cn-bj.ufileos.com/img/unavailable.qcow2"
		}
	}
	r := run(t, runOpts{Env: keyEnv()}, args...)
	wantCode(t, r, 5)
	wantIn(t, "stderr", r.Stderr, "ended Unavailable", "GPT", "virtio", "DHCP")
	var img struct{ ImageId, State string }
	if err := json.Unmarshal([]byte(r.Stdout), &img); err != nil || img.State != "Unavailable" {
		t.Fatalf("--output json should print the final image record; got %q (%v)", r.Stdout, err)
	}
}

// status finds the region in the journal, so the ImageId alone is enough.
func TestFollowStatusUsesTheJournal(t *testing.T) {
	srv := startAPI(t)
	home := t.TempDir()
	r := run(t, runOpts{Env: keyEnv(), Home: home}, importArgs(srv.URL(), "--yes")...)
	wantCode(t, r, 0)
	id := strings.TrimSpace(r.Stdout)

	r = run(t, runOpts{Env: keyEnv(), Home: home}, "status", id, "--base-url", srv.URL())
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, "ImageId:  "+id, "State:    Available", testName)

	r = run(t, runOpts{Env: keyEnv(), Home: home}, "status", id, "--wait", "--base-url", srv.URL(), "-o", "json")
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, `"State": "Available"`)

	// The config remembered the region, but there is no such image there.
	r = run(t, runOpts{Env: keyEnv(), Home: home}, "status", "uimage-nope", "--base-url", srv.URL())
	wantCode(t, r, 1)
	wantIn(t, "stderr", r.Stderr, "no image uimage-nope in region cn-bj2")

	// Nothing says where an unknown image went: ask for the region.
	r = run(t, runOpts{Env: keyEnv()}, "status", "uimage-nope", "--base-url", srv.URL())
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "--region")
}

// A process killed while the import is in flight leaves a journal that says
// what was sent and that its outcome is unknown.
func TestFollowKilledSubmitIsInTheHistory(t *testing.T) {
	srv := startAPI(t)
	srv.SetFault("ImportCustomImage", demoapi.Fault{Delay: time.Minute})
	home := t.TempDir()
	cmd := exec.Command(bin, importArgs(srv.URL(), "--yes")...)
	cmd.Env = append(cleanEnv(t, home), keyEnv()...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for srv.Count("ImportCustomImage") == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the import never reached the server")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill() // kill -9: no chance to write anything more
	cmd.Wait()

	r := run(t, runOpts{Home: home}, "history")
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, testName, "cn-bj2", "sent, outcome unknown", "uimport status")

	r = run(t, runOpts{Home: home}, "history", "-o", "json")
	wantCode(t, r, 0)
	var entries []struct {
		Answered bool
		Params   map[string]string
	}
	if err := json.Unmarshal([]byte(r.Stdout), &entries); err != nil || len(entries) != 1 {
		t.Fatalf("history -o json = %q (%v)", r.Stdout, err)
	}
	if entries[0].Answered || entries[0].Params["ImageName"] != testName || entries[0].Params["Signature"] != "" {
		t.Errorf("journal entry = %+v", entries[0])
	}
	journal := filepath.Join(home, ".local", "state", "uimport", "imports.jsonl")
	fi, err := os.Stat(journal)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode = %v, want 0600", fi.Mode().Perm())
	}
}
