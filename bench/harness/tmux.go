package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func tmux(args ...string) (string, error) {
	full := append([]string{"-L", tmuxSocket, "-f", "/dev/null"}, args...)
	out, err := exec.Command("tmux", full...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// ensureServer starts the private tmux server with a keeper session, so
// each measured session joins a server that is already up.
func ensureServer() error {
	if _, err := tmux("has-session", "-t", "keep"); err == nil {
		return nil
	}
	if _, err := tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 100000"); err != nil {
		return err
	}
	_, err := tmux("set-option", "-g", "remain-on-exit", "on")
	return err
}

func shellQuote(s string) string {
	if s != "" && regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`).MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

// pane is one measured tmux session whose output is read through a fifo.
type pane struct {
	name, dir   string
	pid         int // the pane's process: the program after the gate's exec
	gateFifo    string
	stampFile   string
	mu          sync.Mutex
	buf         []byte
	lastWrite   time.Time
	firstByteAt time.Time
	markers     [][]byte
	markerAt    []time.Time
	chunks      []chunk       // when each read from the pane's output arrived
	found       chan struct{} // closed once every marker was seen
	done        chan struct{}
}

type chunk struct {
	at  time.Time
	off int
}

var paneSeq int

// startPane creates the session with the gated command and attaches
// pipe-pane; the program is not started until release.
func startPane(ef *envFlags, markers []string, cmd []string) (*pane, error) {
	if err := ensureServer(); err != nil {
		return nil, err
	}
	paneSeq++
	dir, err := os.MkdirTemp("", "uimport-bench-pane")
	if err != nil {
		return nil, err
	}
	p := &pane{name: fmt.Sprintf("m%d-%d", os.Getpid(), paneSeq), dir: dir,
		gateFifo: filepath.Join(dir, "gate"), stampFile: filepath.Join(dir, "stamp"), found: make(chan struct{}), done: make(chan struct{})}
	for _, m := range markers {
		p.markers = append(p.markers, []byte(m))
	}
	p.markerAt = make([]time.Time, len(markers))
	out := filepath.Join(dir, "out")
	for _, f := range []string{p.gateFifo, out} {
		if err := syscall.Mkfifo(f, 0o600); err != nil {
			return nil, err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	gateCmd := append([]string{self, "gate", "-fifo", p.gateFifo, "-stamp", p.stampFile}, ef.gateArgs()...)
	gateCmd = append(append(gateCmd, "--"), cmd...)
	if _, err := tmux("new-session", "-d", "-s", p.name, "-x", "80", "-y", "24", "exec "+shellJoin(gateCmd)); err != nil {
		return nil, err
	}
	if _, err := tmux("pipe-pane", "-O", "-o", "-t", p.name, "exec cat > "+shellQuote(out)); err != nil {
		return nil, err
	}
	if s, err := tmux("display-message", "-p", "-t", p.name, "#{pane_pid}"); err == nil {
		p.pid, _ = strconv.Atoi(strings.TrimSpace(s))
	}
	opened := make(chan *os.File, 1)
	go func() {
		f, err := os.Open(out) // returns once cat has opened the other end
		if err == nil {
			opened <- f
		}
	}()
	var f *os.File
	select {
	case f = <-opened:
	case <-time.After(5 * time.Second):
		return nil, errors.New("pipe-pane did not start")
	}
	go p.read(f)
	return p, nil
}

var ansiRE = regexp.MustCompile(`\x1b(\[[0-9;?<>=$ ]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[()][0-9A-Za-z]|[=>78cDEHMNOZ])`)

func (p *pane) read(f *os.File) {
	defer close(p.done)
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := f.Read(buf)
		now := time.Now()
		if n > 0 {
			p.mu.Lock()
			if p.firstByteAt.IsZero() {
				p.firstByteAt = now
			}
			p.chunks = append(p.chunks, chunk{now, len(p.buf)})
			p.buf = append(p.buf, buf[:n]...)
			p.lastWrite = now
			var plain []byte
			for i, m := range p.markers {
				if !p.markerAt[i].IsZero() {
					continue
				}
				if !bytes.Contains(p.buf, m) {
					if plain == nil {
						plain = ansiRE.ReplaceAll(p.buf, nil)
					}
					if !bytes.Contains(plain, m) {
						continue
					}
				}
				p.markerAt[i] = now
				if p.allSeenLocked() {
					close(p.found)
				}
			}
			p.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// release starts the program and returns its exec time.
func (p *pane) release() error {
	f, err := os.OpenFile(p.gateFifo, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.Write([]byte{'x'})
	f.Close()
	return err
}

func (p *pane) execTime() (time.Time, error) {
	for i := 0; i < 200; i++ {
		b, err := os.ReadFile(p.stampFile)
		if err == nil && len(b) > 0 {
			ns, err := strconv.ParseInt(string(b), 10, 64)
			return time.Unix(0, ns), err
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, errors.New("no exec stamp")
}

func (p *pane) count() (int, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.buf), p.lastWrite
}

func (p *pane) bytes() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]byte(nil), p.buf...)
}

func (p *pane) allSeenLocked() bool {
	for _, t := range p.markerAt {
		if t.IsZero() {
			return false
		}
	}
	return true
}

func (p *pane) screen() string {
	s, _ := tmux("capture-pane", "-p", "-t", p.name)
	return s
}

func (p *pane) dead() (bool, string) {
	s, err := tmux("display-message", "-p", "-t", p.name, "#{pane_dead} #{pane_dead_status}")
	if err != nil {
		return true, ""
	}
	f := strings.Fields(s)
	if len(f) > 0 && f[0] == "1" {
		st := ""
		if len(f) > 1 {
			st = f[1]
		}
		return true, st
	}
	return false, ""
}

func (p *pane) keys(k ...string) error {
	_, err := tmux(append([]string{"send-keys", "-t", p.name}, k...)...)
	return err
}

func (p *pane) literal(s string) error {
	_, err := tmux("send-keys", "-t", p.name, "-l", s)
	return err
}

// waitQuiet waits until nothing was written for d (at most max).
func (p *pane) waitQuiet(d, max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		_, last := p.count()
		if time.Since(last) >= d {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// waitMore waits until more than n bytes were written (at most max).
func (p *pane) waitMore(n int, max time.Duration) bool {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		if c, _ := p.count(); c > n {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

func (p *pane) waitScreen(max time.Duration, cond func(string) bool) (string, bool) {
	deadline := time.Now().Add(max)
	for {
		s := p.screen()
		if cond(s) {
			return s, true
		}
		if time.Now().After(deadline) {
			return s, false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// close ends the session and, should anything in the pane's process group
// outlive the hangup (strace does), that group too: it is ours, and an
// orphan left spinning would skew the next measurement.
func (p *pane) close() {
	_, _ = tmux("kill-session", "-t", p.name)
	if p.pid > 0 {
		for i := 0; i < 50 && syscall.Kill(-p.pid, 0) == nil; i++ {
			if i == 10 {
				_ = syscall.Kill(-p.pid, syscall.SIGTERM)
			}
			if i == 30 {
				_ = syscall.Kill(-p.pid, syscall.SIGKILL)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	select {
	case <-p.done:
	case <-time.After(2 * time.Second):
	}
	os.RemoveAll(p.dir)
}
