package e2e

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// hostile is text from outside (a server, a file name, a flag) that would
// retitle the terminal, ring the bell and forge a line if printed raw.
const hostile = "\x1b]0;PWNED\x07evil\ninjected"

// wantNoRaw fails when hostile, or any of its control characters, reached
// out raw. Escaped, it reads \x1b]0;PWNED\x07evil\ninjected.
func wantNoRaw(t *testing.T, what, out string) {
	t.Helper()
	if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "\ninjected") {
		t.Errorf("%s has raw control characters from untrusted text:\n%q", what, out)
	}
}

// An ImageId like hostile in the answer is a bad response (exit 4), and
// neither the run nor history prints it raw; nor a server message like it.
func TestUntrustedTextFromTheServerIsEscaped(t *testing.T) {
	t.Run("ImageId", func(t *testing.T) {
		srv := startAPI(t)
		body := `{"RetCode":0,"Action":"ImportCustomImageResponse","ImageId":"\u001b]0;PWNED\u0007evil\ninjected"}`
		srv.SetFault("ImportCustomImage", demoapi.Fault{Body: body})
		home := t.TempDir()
		r := run(t, runOpts{Env: keyEnv(), Home: home}, importArgs(srv.URL(), "--yes")...)
		wantCode(t, r, 4)
		wantNoRaw(t, "import", r.Stdout+r.Stderr)
		h := run(t, runOpts{Home: home}, "history")
		wantNoRaw(t, "history", h.Stdout+h.Stderr)
	})
	t.Run("Message", func(t *testing.T) {
		srv := startAPI(t)
		srv.SetFault("ImportCustomImage", demoapi.Fault{RetCode: 8041, Message: hostile})
		home := t.TempDir()
		r := run(t, runOpts{Env: keyEnv(), Home: home}, importArgs(srv.URL(), "--yes")...)
		wantCode(t, r, 3)
		wantNoRaw(t, "import", r.Stdout+r.Stderr)
		wantIn(t, "import", r.Stderr, `PWNED\x07evil\ninjected`)
		h := run(t, runOpts{Home: home}, "history")
		wantNoRaw(t, "history", h.Stdout+h.Stderr)
		h = run(t, runOpts{Home: home}, "history", "-o", "json")
		wantNoRaw(t, "history json", h.Stdout+h.Stderr)
	})
}

// Values given on the command line are echoed escaped in notes and errors.
func TestUntrustedTextFromFlagsIsEscaped(t *testing.T) {
	srv := startAPI(t)
	for _, args := range [][]string{
		importArgs(srv.URL(), "--format", hostile, "--yes"),
		importArgs(srv.URL(), "--name", hostile, "--yes"),
		importArgs(srv.URL(), "--url", "https://b.cn-bj2.ufileos.com/"+hostile, "--yes"),
		{"upload", "--base-url", srv.URL(), "--region", "cn-bj2", "--bucket", hostile, "/nonexistent/" + hostile},
		{"upload", "--base-url", srv.URL(), "--region", "cn-bj2", "--bucket", "mybucket", "--key", hostile, "/nonexistent/x"},
		{"upload", "--base-url", srv.URL(), "--region", "cn-bj2", "--bucket", "mybucket", "/nonexistent/" + hostile},
		{"status", hostile, "--base-url", srv.URL(), "--region", "cn-bj2"},
	} {
		r := run(t, runOpts{Env: keyEnv()}, args...)
		if r.Code == 0 {
			t.Errorf("%q: exit 0", args)
		}
		wantNoRaw(t, strings.Join(args[:1], " "), r.Stdout+r.Stderr)
	}
}
