// Package e2e drives the real uimport binary: as a script would (exit codes,
// stdout, stderr) and as a person would, typing into tmux.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bin is the binary under test, built once by TestMain.
var bin string

// deadProxy is a loopback address nothing listens on. Every run sets
// HTTP(S)_PROXY to it, so a request to any host but loopback (which Go
// never proxies) fails at once, here, instead of looking up or reaching
// the internet: the suite stays on this machine.
var deadProxy string

// reserveDeadPort returns 127.0.0.1:<port> of a port that was free a
// moment ago and is closed now: connecting to it is refused.
func reserveDeadPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "uimport-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if deadProxy, err = reserveDeadPort(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "uimport")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building uimport:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary showed.
type result struct {
	Stdout, Stderr string
	Code           int
	Elapsed        time.Duration
}

// runOpts configure one run: a clean environment (HOME, config and state in a
// temp dir, no D-Bus) plus what the test adds.
type runOpts struct {
	Env   []string // KEY=VALUE, added to the clean environment
	Stdin string
	Home  string // defaults to a fresh temp dir
	// InheritDBus passes this process's D-Bus session and XDG runtime/data
	// dirs through instead of the blank ones, for the real Secret Service
	// test under keystore/testdata/with-secret-service.sh.
	InheritDBus bool
}

// cleanEnv is a minimal environment that cannot reach the user's real
// keyring, config or credentials.
func cleanEnv(t *testing.T, home string) []string {
	t.Helper()
	return []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"DBUS_SESSION_BUS_ADDRESS=",
		"NO_COLOR=1",
		"TERM=xterm-256color",
		"HTTPS_PROXY=http://" + deadProxy, "HTTP_PROXY=http://" + deadProxy,
		"https_proxy=http://" + deadProxy, "http_proxy=http://" + deadProxy,
		"NO_PROXY=", "no_proxy=",
	}
}

// run executes the binary with args and waits up to 60 s.
func run(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	if o.Home == "" {
		o.Home = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(cleanEnv(t, o.Home), o.Env...)
	if o.InheritDBus {
		for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME"} {
			cmd.Env = append(cmd.Env, k+"="+os.Getenv(k)) // the last value wins
		}
	}
	cmd.Stdin = strings.NewReader(o.Stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	res := result{Stdout: out.String(), Stderr: errb.String(), Elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		res.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running uimport %v: %v", args, err)
	}
	return res
}
