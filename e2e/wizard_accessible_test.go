package e2e

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// --accessible asks line by line: no full-screen drawing, every answer
// typed and confirmed with Enter, as a screen reader user would.
func TestWizardAccessibleTypedLineByLine(t *testing.T) {
	srv := startAPI(t)
	s := startWizardTmux(t, srv, 80, 24, "--accessible")
	answer := func(prompt, text string) {
		t.Helper()
		s.waitFor(prompt)
		if text != "" {
			s.typeText(text)
		}
		s.keys("Enter")
		s.tmux("clear-history", "-t", "main")
	}
	// Each prompt is matched on the last line, which holds only the newest one.
	s.waitFor("Using environment (UCLOUD_PUBLIC_KEY); public key demo…port.")
	answer("Enter a number between 1 and", "4") // region: hk (sg, cn-bj2, cn-sh2, hk, ...)
	answer("Enter a number between 1 and 2", "2")
	answer("Image name", "reader-test")
	answer("Enter a number between 1 and 9", "3") // Debian
	answer("OS name", "")                         // keep the suggestion
	answer("Enter a number between 1 and 4", "")  // qcow2
	answer("Business group", "")
	answer("Description", "")
	answer("Where is the image?", "1")
	answer("UFile URL of the image", "https://b.hk.ufileos.com/img/reader.qcow2")
	answer("Do you authorise this import? [y/N]", "y")
	answer("What now?", "1") // Submit
	answer("Wait until the image is built? [Y/n]", "n")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.last)
	}
	scr := s.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "main")
	wantIn(t, "screen", scr, "Import submitted: uimage-", "Next time: uimport import --yes")
	wantNotIn(t, "screen", scr, demoapi.PrivateKey, "┃")
	sent := importsSent(srv)
	if len(sent) != 1 || !sent[0].SignatureValid {
		t.Fatalf("imports sent: %+v", sent)
	}
	if p := sent[0].Params; p["Region"] != "hk" || p["OsType"] != "Debian" || p["OsName"] != "Debian 12 64位" || p["ProjectId"] != "org-demo02" {
		t.Errorf("params %v", p)
	}
}

// TERM=dumb gets the same plain prompts, and Ctrl+C there (a signal, the
// terminal being in line mode) exits 130 with nothing sent.
func TestWizardDumbTerminalIsPlainAndInterruptible(t *testing.T) {
	srv := startAPI(t)
	// tmux sets TERM in the pane, so env sets it for uimport alone.
	s := startTmuxCommand(t, 80, 24, wizardEnv(t, t.TempDir()), "env", "TERM=dumb", bin, "import", "--base-url", srv.URL())
	s.forbid = []string{demoapi.PrivateKey}
	scr := s.waitFor("Enter a number between 1 and")
	if strings.Contains(scr, "┃") {
		t.Errorf("full-screen drawing on a dumb terminal:\n%s", scr)
	}
	s.keys("C-c")
	if code := s.exitCode(); code != 130 {
		t.Fatalf("exit %d, want 130:\n%s", code, s.last)
	}
	if n := srv.Count("ImportCustomImage"); n != 0 {
		t.Errorf("%d imports sent", n)
	}
}
