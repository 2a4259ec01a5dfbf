package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tmuxSession is one detached tmux server and session driving the binary
// like a person at a terminal. Each has its own server socket (-L), so tests
// never see each other's keys or screens, nor the user's own tmux.
type tmuxSession struct {
	t      *testing.T
	socket string
	env    []string
	out    string   // where the binary's stdout goes
	home   string   // HOME, when the test chose it
	forbid []string // text that must never be on screen (secrets)
	last   string   // the last screen captured
}

var tmuxSeq atomic.Int64

// requireTmux skips when tmux is missing; CI installs it.
func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: these tests type into the wizard through tmux (apt-get install tmux)")
	}
}

// startTmux runs the binary with args in a width×height terminal whose
// environment is env. stdout goes to a file (see stdout), stderr and the
// keyboard are the terminal. When the binary ends the shell prints
// EXIT=<code> and keeps the pane open, so the final screen can be read.
func startTmux(t *testing.T, width, height int, env []string, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxCommand(t, width, height, env, append([]string{bin}, args...)...)
}

// startTmuxCommand is startTmux for any command line, e.g. one run via env.
func startTmuxCommand(t *testing.T, width, height int, env []string, argv ...string) *tmuxSession {
	t.Helper()
	requireTmux(t)
	dir := t.TempDir()
	s := &tmuxSession{
		t:      t,
		socket: fmt.Sprintf("uimport-e2e-%d-%d", os.Getpid(), tmuxSeq.Add(1)),
		env:    env,
		out:    filepath.Join(dir, "stdout"),
	}
	var quoted []string
	for _, a := range argv {
		quoted = append(quoted, shellQuote(a))
	}
	// The shell ignores SIGINT so that Ctrl+C in a line-mode prompt reaches
	// only uimport (Go re-enables it there) and EXIT= still gets printed.
	script := fmt.Sprintf("trap '' INT; %s >%s; echo EXIT=$?; exec sleep 3600", strings.Join(quoted, " "), shellQuote(s.out))
	s.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main",
		"-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "sh", "-c", script)
	sock := strings.TrimSpace(s.tmux("display-message", "-p", "#{socket_path}"))
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-L", s.socket, "kill-server").Run()
		_ = os.Remove(sock) // tmux leaves the socket file behind
	})
	return s
}

// tmux runs a tmux command against this session's server.
func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...)
	cmd.Env = s.env // the server, started by the first command, passes it to the pane
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends tmux key names: Enter, Escape, BTab (shift+tab), C-c, Down, ...
func (s *tmuxSession) keys(names ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "main"}, names...)...)
}

// typeText types text literally, as a person would.
func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "main", "-l", text)
}

// screen captures what the terminal shows now, wrapped lines joined.
func (s *tmuxSession) screen() string {
	s.t.Helper()
	s.last = s.tmux("capture-pane", "-p", "-J", "-t", "main")
	for _, f := range s.forbid {
		if f != "" && strings.Contains(s.last, f) {
			s.t.Fatalf("the screen shows %q, which must never be shown:\n%s", f, s.last)
		}
	}
	return s.last
}

// waitFor polls the screen until every text is on it, or fails after 15 s.
func (s *tmuxSession) waitFor(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := s.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(scr, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %q on the screen:\n%s", missing, scr)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

var exitLine = regexp.MustCompile(`(?m)^EXIT=(\d+)$`)

// exitCode waits for the binary to end and returns its exit code.
func (s *tmuxSession) exitCode() int {
	s.t.Helper()
	scr := s.waitFor("EXIT=")
	m := exitLine.FindStringSubmatch(scr)
	if m == nil {
		s.t.Fatalf("no exit code on the screen:\n%s", scr)
	}
	code, _ := strconv.Atoi(m[1])
	return code
}

// stdout is what the binary wrote to standard output.
func (s *tmuxSession) stdout() string {
	s.t.Helper()
	b, err := os.ReadFile(s.out)
	if err != nil {
		s.t.Fatal(err)
	}
	return string(b)
}

// resize changes the terminal's size, as dragging the window corner does.
func (s *tmuxSession) resize(width, height int) {
	s.t.Helper()
	s.tmux("resize-window", "-t", "main", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height))
}

// shellQuote single-quotes v for sh.
func shellQuote(v string) string { return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'" }

// TestTmuxDriver checks the driver itself: typing, capture, exit codes.
func TestTmuxDriver(t *testing.T) {
	s := startTmux(t, 80, 24, cleanEnv(t, t.TempDir()), "version")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("uimport version exited %d:\n%s", code, s.last)
	}
	if !strings.HasPrefix(s.stdout(), "uimport ") {
		t.Errorf("stdout = %q", s.stdout())
	}
}
