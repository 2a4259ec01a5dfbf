package e2e

import (
	"testing"
)

// The line-by-line wizard, when its input ends right after a wrong answer
// to a numbered question ("abc" or "99" at the Region prompt, then
// Ctrl+D), ends with the "input ended" message and a non-zero exit, not
// a panic and a stack trace.
func TestWizardAccessibleInputEndsAfterAWrongAnswer(t *testing.T) {
	for _, wrong := range []string{"abc", "99"} {
		t.Run(wrong, func(t *testing.T) {
			srv := startAPI(t)
			s := startWizardTmux(t, srv, 80, 24, "--accessible")
			s.waitFor("Using environment (UCLOUD_PUBLIC_KEY); public key demo…port.", "Enter a number between 1 and")
			s.typeText(wrong)
			s.keys("Enter")
			s.waitFor("Invalid: must be a number between 1 and")
			s.keys("C-d")
			code := s.exitCode()
			if code == 0 {
				t.Errorf("exit 0 after the input ended")
			}
			scr := s.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "main")
			wantIn(t, "screen", scr, "the input ended before the wizard did")
			wantNotIn(t, "screen", scr, "panic", "goroutine ", "index out of range")
			if n := len(importsSent(srv)); n != 0 {
				t.Errorf("%d imports sent", n)
			}
		})
	}
}
