package e2e

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// pid is the uimport process in the session's pane: the pane runs sh,
// which runs uimport.
func (s *tmuxSession) pid() int {
	s.t.Helper()
	sh := strings.TrimSpace(s.tmux("list-panes", "-t", "main", "-F", "#{pane_pid}"))
	b, err := os.ReadFile("/proc/" + sh + "/task/" + sh + "/children")
	if err != nil {
		s.t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) != 1 {
		s.t.Fatalf("pane shell %s has children %q, want uimport alone", sh, f)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// SIGTERM during the wizard's upload ends it as Ctrl+C does: the upload
// stops with its parts kept, the screen says how to resume, exit 143.
func TestWizardUploadStoppedBySIGTERM(t *testing.T) {
	srv := startAPI(t)
	srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, BytesPerSecond: 256 << 10})
	file := sampleImage(t, "web.qcow2", 12<<20)
	s := startWizardTmux(t, srv, 80, 24, "--allow-http",
		"--region", "sg", "--name", "upload-test", "--os-type", "CentOS", "--os-name", "CentOS 7.9 64位", "--format", "qcow2")
	toDetails(s)
	for _, f := range []string{"┃ Image name", "┃ OS type", "┃ OS name", "┃ Format", "┃ Business group", "┃ Description"} {
		s.waitFor(f)
		s.keys("Enter")
	}
	s.waitFor("Where is the image?", "A file on this machine")
	s.keys("Down", "Enter")
	s.waitFor("┃ Image file on this machine")
	s.typeText(file)
	s.keys("Enter")
	s.waitFor("┃ Bucket to upload to", "> "+demoapi.DemoBucket)
	s.keys("Enter")
	s.waitFor("┃ Object key")
	s.keys("Enter")
	s.waitFor("Uploading…")
	if err := syscall.Kill(s.pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(); code != 143 {
		t.Fatalf("exit %d, want 143:\n%s", code, s.last)
	}
	wantIn(t, "final screen", s.last, "resume")
	if n := len(importsSent(srv)); n != 0 {
		t.Errorf("%d imports sent", n)
	}
}
