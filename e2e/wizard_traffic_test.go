package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// outputDuring returns how many bytes the program wrote to the terminal
// while act ran and for settle afterwards (tmux pipe-pane taps the pane).
func (s *tmuxSession) outputDuring(settle time.Duration, act func()) int {
	s.t.Helper()
	tap := filepath.Join(s.t.TempDir(), "tap")
	s.tmux("pipe-pane", "-t", "main", "-o", "cat >>"+shellQuote(tap))
	time.Sleep(100 * time.Millisecond) // the tap's cat starts
	act()
	time.Sleep(settle)
	s.tmux("pipe-pane", "-t", "main") // closes the tap
	b, _ := os.ReadFile(tap)
	if testing.Verbose() {
		s.t.Logf("output: %q", b)
	}
	return len(b)
}

// The renderer writes only what changed: an idle screen writes nothing
// (no blinking, no clock), and a typed character costs a few bytes, not
// a redrawn screen.
func TestWizardTerminalTrafficIsSmall(t *testing.T) {
	srv := startAPI(t)
	s := startWizardTmux(t, srv, 80, 24)
	toDetails(s)
	s.waitFor("┃ Image name")
	time.Sleep(300 * time.Millisecond) // the first frames

	if n := s.outputDuring(1500*time.Millisecond, func() {}); n != 0 {
		t.Errorf("an idle screen wrote %d bytes in 1.5 s", n)
	}
	n := s.outputDuring(300*time.Millisecond, func() {
		s.typeText("w")
		s.waitFor("> w")
	})
	// ~10 B here; a line holding a double-width character on the same page
	// would be repainted on every frame (~120 B), a full redraw ~2000 B.
	if n == 0 || n > 40 {
		t.Errorf("typing one character wrote %d bytes; the goal is at most 25", n)
	}
}
