package ui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// answers hands out one line per Read, as a terminal in line mode does;
// huh reads each answer with a fresh scanner.
type answers struct {
	mu    sync.Mutex
	lines []string
}

func (a *answers) Read(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, a.lines[0]+"\n")
	a.lines = a.lines[1:]
	return n, nil
}

// lockedBuffer is written by prompts on another goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAccessibleWalkthrough(t *testing.T) {
	api := newFakeAPI()
	out := &lockedBuffer{}
	opts := testOptions(api, envStore())
	opts.Accessible = true
	opts.In = &answers{lines: []string{
		"3",        // region: hk
		"",         // project: keep the default
		"web-base", // name
		"2",        // OS type: Ubuntu
		"",         // OS name: keep the suggestion
		"", "", "", // format, tag, description
		"https://b.hk.ufileos.com/web.qcow2",
		"n", "y", // authorisation: refused, then given
		"2", // show curl
		"1", // submit
		"",  // wait: yes
	}}
	opts.Out = out
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	text := out.String()
	for _, want := range []string{
		"Using environment (UCLOUD_PUBLIC_KEY); public key uclo…6120.",
		"Shown in the console: 1-63 letters",
		"Press Enter to keep: Ubuntu 24.04 64位",
		"Without your authorisation the import cannot go on.",
		"PublicKey: uclo…6120 (masked)",
		"curl -sS -X POST",
		"Import submitted. ImageId: uimage-test0001.",
		"State: Available",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "\x1b[") || strings.Contains(text, testPrivateKey) {
		t.Errorf("escape codes or the private key in accessible output:\n%q", text)
	}
	if res.ImageID != "uimage-test0001" || res.State != apiclient.StateAvailable || res.Spec.Region != "hk" || res.Spec.OsType != "Ubuntu" {
		t.Errorf("result = %+v", res)
	}
	if n := api.sendCount(); n != 1 {
		t.Errorf("SendImport called %d times", n)
	}
	if t.Failed() || testing.Verbose() {
		t.Log(text)
	}
}

// Ctrl+C (the context ending) stops a prompt that is waiting for a line.
func TestAccessibleInterruptSendsNothing(t *testing.T) {
	api := newFakeAPI()
	pr, pw := io.Pipe()
	defer pw.Close()
	out := &lockedBuffer{}
	opts := testOptions(api, envStore())
	opts.Accessible, opts.In, opts.Out = true, pr, out
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Result, 1)
	go func() {
		res, _ := Run(ctx, opts)
		done <- res
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "Enter a number") {
		if time.Now().After(deadline) {
			t.Fatalf("no region prompt:\n%s", out)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case res := <-done:
		if !res.Interrupted || api.sendCount() != 0 {
			t.Errorf("result %+v, %d sent", res, api.sendCount())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt ignored Ctrl+C")
	}
}

func TestAccessibleInputEndingStops(t *testing.T) {
	api := newFakeAPI()
	opts := testOptions(api, envStore())
	opts.Accessible, opts.In, opts.Out = true, &answers{lines: []string{"1"}}, io.Discard
	if _, err := Run(context.Background(), opts); err == nil || api.sendCount() != 0 {
		t.Errorf("err %v, %d sent", err, api.sendCount())
	}
}
