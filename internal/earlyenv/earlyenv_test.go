package earlyenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The test binary re-runs itself with TMUX set: during init it must be
// gone, and Restore must bring it back unchanged.
func TestHiddenDuringInitThenRestored(t *testing.T) {
	if os.Getenv("EARLYENV_CHILD") == "1" {
		if _, ok := os.LookupEnv("TMUX"); ok {
			t.Fatal("TMUX visible after init")
		}
		Restore()
		if got := os.Getenv("TMUX"); got != "/tmp/tmux-0/default,1,0" {
			t.Fatalf("TMUX after Restore = %q", got)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=TestHiddenDuringInitThenRestored", "-test.v")
	cmd.Env = append(os.Environ(), "EARLYENV_CHILD=1", "TMUX=/tmp/tmux-0/default,1,0")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
