package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// `uimport --demo` needs no account: Enter (and y to authorise) goes all
// the way to an Available image, and every screen says DEMO. This one runs
// in colour (no NO_COLOR), which the other terminal tests turn off.
func TestWizardDemoToAvailable(t *testing.T) {
	home := t.TempDir()
	var env []string
	for _, kv := range cleanEnv(t, home) {
		if !strings.HasPrefix(kv, "NO_COLOR=") {
			env = append(env, kv)
		}
	}
	s := startTmux(t, 80, 24, env, "--demo")
	demoScreen := func(texts ...string) string {
		t.Helper()
		scr := s.waitFor(texts...)
		wantIn(t, "screen", scr, "DEMO")
		return scr
	}
	demoScreen("keys of the built-in simulator")
	s.keys("Enter")
	// The image first: the simulator's clean guest disk is the first choice.
	demoScreen("Where is the image?", "> Demo: Ubuntu 22.04 on MBR (qcow2)")
	s.keys("Enter")
	demoScreen("Image inspected: Ubuntu 22.04", "Go on with this image?")
	s.keys("Enter")
	for _, f := range []string{"┃ Region", "┃ Project", "┃ Image name", "┃ OS type", "┃ OS name", "┃ Format", "┃ Business group", "┃ Description"} {
		demoScreen(f)
		s.keys("Enter")
	}
	scr := demoScreen("UFile URL of the image", "/ufile/demo-bucket/guests/ubuntu-22.04-mbr.qcow2")
	// The simulator is not a UFile host, knowingly: no warning says so.
	wantNotIn(t, "URL step", scr, "warning")
	s.keys("Enter") // the simulator's object is read, and matches
	demoScreen("Do you authorise this import?", "✓ Object checked: qcow2")
	s.keys("y")
	demoScreen("Signature")
	s.keys("Left", "Enter") // the preview opens on Back: ← is Submit
	demoScreen("Import submitted")
	s.keys("Enter")
	demoScreen("Available after")
	s.keys("Enter")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.last)
	}
	id := regexp.MustCompile(`uimage-[a-z0-9]+`).FindString(s.stdout())
	if id == "" || s.stdout() != id+"\n" {
		t.Errorf("stdout = %q", s.stdout())
	}
	wantIn(t, "final screen", s.last, "It is Available", "Next time: uimport import --yes --demo --region sg")
	if _, err := os.Stat(filepath.Join(home, ".config", "uimport", "config.json")); err == nil {
		t.Error("demo choices were remembered in the config")
	}
}
