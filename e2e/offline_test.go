package e2e

import (
	"strings"
	"testing"
)

// The suite never leaves this machine: every run points HTTP(S)_PROXY at
// a dead loopback port, so the object check of an outside URL fails on
// that proxy, at once, instead of asking DNS or reaching the internet.
func TestOutsideURLGoesToTheDeadProxy(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, checkArgs(srv, testURL, "qcow2")...)
	wantCode(t, r, 0)
	low := strings.ToLower(r.Stderr)
	wantIn(t, "stderr", low, "warning", "the proxy "+deadProxy)
	wantNotIn(t, "stderr", low, "no such host", "lookup", "server misbehaving")
	if r.Elapsed.Seconds() > 20 {
		t.Errorf("the check took %v: it did not fail fast on the proxy", r.Elapsed)
	}
}
