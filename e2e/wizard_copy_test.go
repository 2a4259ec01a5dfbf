package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// The wizard in tmux, as a person: once the image is Available, c offers
// the regions to copy to; one chosen, confirmed, sent once and followed to
// Available; the import's ImageId and the copy's are on stdout.
func TestWizardCopyAfterAvailable(t *testing.T) {
	srv := startCopyAPI(t)
	env := append(cleanEnv(t, t.TempDir()), keyEnv()...)
	s := startTmux(t, 80, 24, env, "import", "--base-url", srv.URL(), "--region", "sg", "--name", "web", "--url", demoapi.DemoObjectURL(srv.URL(), "qcow2"),
		"--allow-http", "--os-type", "Ubuntu", "--os-name", "Ubuntu 22.04 64位", "--format", "qcow2")
	s.waitFor("Keys from:")
	// Enter keeps every value the flags gave, whatever screens come before
	// the authorisation; each press waits for the screen to move on.
	for i := 0; !strings.Contains(s.screen(), "Do you authorise this import?"); i++ {
		if i == 30 {
			t.Fatalf("no authorisation screen after %d Enters:\n%s", i, s.last)
		}
		before := s.last
		s.keys("Enter")
		for deadline := time.Now().Add(3 * time.Second); s.screen() == before && time.Now().Before(deadline); {
			time.Sleep(40 * time.Millisecond)
		}
	}
	s.waitFor("Do you authorise this import?")
	s.keys("y")
	s.waitFor("Signature")
	s.keys("Left", "Enter") // the preview opens on Back: ← is Submit
	s.waitFor("Import submitted")
	s.keys("Enter")
	s.waitFor("Available after", "Copy to other regions? Press c")
	s.keys("c")
	scr := s.waitFor("after the import · Copy to other regions", "> [ ] cn-bj2")
	wantNotIn(t, "copy screen", scr, "sg · Singapore", "cn-bj1") // the image's own region; no copies there
	s.keys("Down", "Down", "x", "Enter")                         // hk
	s.waitFor("Copy to hk now?")
	s.keys("Enter")
	s.waitFor("The copy is Available")
	s.keys("Enter")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.last)
	}
	ids := regexp.MustCompile(`uimage-[a-z0-9]+`).FindAllString(s.stdout(), -1)
	if len(ids) != 2 || s.stdout() != strings.Join(ids, "\n")+"\n" {
		t.Errorf("stdout = %q: want the import's ImageId and the copy's", s.stdout())
	}
	wantIn(t, "final screen", s.last, "Copy in hk: ", "--copy-to hk")
	if c := srv.Copies(); len(c) != 1 || c[0].TargetRegion != "hk" || srv.Count("CopyCustomImage") != 1 || c[0].SourceImageID != ids[0] || c[0].TargetImageID != ids[1] {
		t.Errorf("copies %+v", c)
	}
}
