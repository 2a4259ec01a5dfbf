package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// A bad base URL is refused before anything is journaled or sent: exit 2,
// and no journal line that says an import "may have reached the server".
func TestBadBaseURLExits2BeforeTheJournal(t *testing.T) {
	for _, base := range []string{"ftp://x", "javascript:alert(1)", "127.0.0.1:1", "https://h/?q=1", "https://h/#f"} {
		t.Run(base, func(t *testing.T) {
			home := t.TempDir()
			r := run(t, runOpts{Env: keyEnv(), Home: home}, importArgs(base, "--yes")...)
			wantCode(t, r, 2)
			if _, err := os.Stat(filepath.Join(home, ".local", "state", "uimport", "imports.jsonl")); !os.IsNotExist(err) {
				t.Errorf("a journal exists after a refused base URL (%v)", err)
			}
		})
	}
}

// Upload inputs are checked before any request: a bucket that would move
// the host, and keys and regions UFile cannot take, exit 2 with nothing
// sent.
func TestBadUploadInputsExit2WithNothingSent(t *testing.T) {
	srv := startAPI(t)
	file := filepath.Join(t.TempDir(), "disk.raw")
	if err := os.WriteFile(file, make([]byte, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, extra := range [][]string{
		{"--bucket", "evil.example.com/x"},
		{"--bucket", "Upper"},
		{"--bucket", "a..b"},
		{"--bucket", "mybucket", "--key", "../../x"},
		{"--bucket", "mybucket", "--key", "a\nb"},
		{"--bucket", "mybucket", "--region", "nowhere"},
	} {
		before := len(srv.Requests()) + len(srv.UploadRequests())
		args := append([]string{"upload", "--base-url", srv.URL(), "--region", "cn-bj2", file}, extra...)
		r := run(t, runOpts{Env: keyEnv()}, args...)
		if r.Code != 2 {
			t.Errorf("%q: exit %d, want 2\n%s", extra, r.Code, r.Stderr)
		}
		if n := len(srv.Requests()) + len(srv.UploadRequests()) - before; n != 0 {
			t.Errorf("%q: %d requests sent", extra, n)
		}
	}
}

// --wait-timeout 0 or negative is refused before anything is sent; it
// never silently means the default.
func TestWaitTimeoutMustBePositive(t *testing.T) {
	srv := startAPI(t)
	for _, v := range []string{"0", "0s", "-5m"} {
		r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes", "--wait", "--wait-timeout="+v)...)
		wantCode(t, r, 2)
		wantIn(t, "stderr", r.Stderr, "--wait-timeout must be more than 0")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A wait that ends on an error still says how to look again: the import
// goes on whatever stopped the wait.
func TestWaitEndedByAnErrorSaysHowToCheckLater(t *testing.T) {
	srv := startAPI(t)
	srv.SetFault("DescribeImage", demoapi.Fault{RetCode: 171, Message: "Signature VerifyAC Error"})
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes", "--wait")...)
	if r.Code == 0 {
		t.Fatalf("exit 0:\n%s", r.Stderr)
	}
	wantIn(t, "stderr", r.Stderr, "check later with `uimport status uimage-", "--region cn-bj2 --wait`")
}

// Each retry of an object call is said, with which call, which attempt of
// how many, and why: not a bar frozen at 0%.
func TestUploadSaysEachRetry(t *testing.T) {
	api := startTLSAPI(t)
	file := randomFile(t, "disk.raw", 12*mib) // 3 parts
	api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{2}, Status: http.StatusServiceUnavailable, Times: 1})
	r := run(t, runOpts{Env: api.env()}, uploadArgs(api, file, "--skip-check")...)
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "upload disk.raw: retrying part 2 (2/", "HTTP 503")
}
