package e2e

import (
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// quickArgs pre-fill every field, so each screen is left with Enter.
var quickArgs = []string{"--region", "sg", "--name", "ctrl-c-test", "--url", "https://b.sg.ufileos.com/d.qcow2",
	"--os-type", "CentOS", "--os-name", "CentOS 7.9 64位", "--format", "qcow2"}

// wizardScreens are the screens before Submit, each with how to reach it
// from the one before, in order.
var wizardScreens = []struct {
	name  string
	reach func(s *tmuxSession)
}{
	{"credentials", func(s *tmuxSession) { s.waitFor("Keys from:") }},
	{"region", func(s *tmuxSession) { s.keys("Enter"); s.waitFor("Singapore (default)") }},
	{"details", func(s *tmuxSession) {
		s.keys("Enter")
		s.waitFor("┃ Project")
		s.keys("Enter")
		s.waitFor("┃ Image name")
	}},
	{"url", func(s *tmuxSession) {
		for _, f := range []string{"┃ Image name", "┃ OS type", "┃ OS name", "┃ Format", "┃ Business group", "┃ Description"} {
			s.waitFor(f)
			s.keys("Enter")
		}
		s.waitFor("┃ UFile URL of the image") // --url answers "where is the image?"
	}},
	{"auth", func(s *tmuxSession) { s.keys("Enter"); s.waitFor("Do you authorise this import?") }},
	{"preview", func(s *tmuxSession) { s.keys("y"); s.waitFor("Signature") }},
}

// Ctrl+C on any screen before Submit exits 130 at once, restores the
// terminal and sends no import.
func TestWizardCtrlCOnEveryScreenSendsNothing(t *testing.T) {
	for i, screen := range wizardScreens {
		t.Run(screen.name, func(t *testing.T) {
			srv := startAPI(t)
			s := startWizardTmux(t, srv, 80, 24, quickArgs...)
			for _, prev := range wizardScreens[:i+1] {
				prev.reach(s)
			}
			s.keys("C-c")
			if code := s.exitCode(); code != 130 {
				t.Fatalf("exit %d, want 130:\n%s", code, s.last)
			}
			wantIn(t, "final screen", s.last, "Interrupted. Nothing was sent.")
			wantNotIn(t, "final screen", s.last, "Signature", "┃") // the wizard's screen is gone
			if n := srv.Count("ImportCustomImage"); n != 0 {
				t.Errorf("%d ImportCustomImage requests after Ctrl+C", n)
			}
			if s.stdout() != "" {
				t.Errorf("stdout = %q", s.stdout())
			}
		})
	}
}

// Ctrl+C while waiting for the build exits 130 but still reports the
// import that was made: the ImageId on stdout, one import sent.
func TestWizardCtrlCWhileWaiting(t *testing.T) {
	srv := demoapi.New(demoapi.Options{MakingPolls: 1000})
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s := startWizardTmux(t, srv, 80, 24, quickArgs...)
	for _, screen := range wizardScreens {
		screen.reach(s)
	}
	s.keys("Left", "Enter") // the preview opens on Back: ← is Submit
	s.waitFor("Import submitted")
	s.keys("Enter")
	s.waitFor("State: Making")
	s.keys("C-c")
	if code := s.exitCode(); code != 130 {
		t.Fatalf("exit %d, want 130:\n%s", code, s.last)
	}
	if !imageID.MatchString(s.stdout()[:max(len(s.stdout())-1, 0)]) {
		t.Errorf("stdout = %q, want the ImageId", s.stdout())
	}
	wantIn(t, "final screen", s.last, "Import submitted:", "uimport status")
	if n := srv.Count("ImportCustomImage"); n != 1 {
		t.Errorf("%d imports sent, want 1", n)
	}
}
