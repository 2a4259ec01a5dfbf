package e2e

import (
	"testing"
)

// The wizard looks inside the image before anything else: a demo guest
// disk with a GPT table shows the blocking finding with its fix, going on
// needs an explicit choice, and authorisation repeats it.
func TestWizardShowsInspectionFinding(t *testing.T) {
	home := t.TempDir()
	s := startTmux(t, 80, 24, cleanEnv(t, home), "--demo")
	s.waitFor("keys of the built-in simulator")
	s.keys("Enter")
	s.waitFor("Where is the image?", "Demo: Rocky Linux 9 on GPT (qcow2)")
	s.keys("Down")
	s.waitFor("> Demo: Rocky Linux 9 on GPT")
	s.keys("Enter")
	scr := s.waitFor("This image would not import or boot as it is", "Continue anyway")
	wantIn(t, "inspection", scr, "Image inspected: Rocky Linux 9.3", "GPT partition table", "sgdisk --gpttombr",
		"root file system (/dev/vda4) is xfs", "Choose another image")
	s.keys("Down", "Enter") // continue anyway
	s.waitFor("┃ Region")
	for _, f := range []string{"┃ Region", "┃ Project", "┃ Image name", "┃ OS type"} {
		s.waitFor(f)
		s.keys("Enter")
	}
	s.waitFor("┃ OS name", "Rocky Linux 9.3 64位") // filled in from the image
	for _, f := range []string{"┃ OS name", "┃ Format", "┃ Business group", "┃ Description"} {
		s.waitFor(f)
		s.keys("Enter")
	}
	s.waitFor("UFile URL of the image", "guests/rocky-9-gpt.qcow2")
	s.keys("Enter")
	scr = s.waitFor("Do you authorise this import?")
	wantIn(t, "authorisation", scr, "continuing despite the inspection", "The disk has a GPT partition")
	s.keys("C-c")
	if code := s.exitCode(); code != 130 {
		t.Errorf("exit %d after Ctrl+C", code)
	}
}
