package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/demoapi"
)

// wizardEnv is the clean environment for home plus the demo keys, which
// the in-test simulator accepts, so the test can count what arrives.
func wizardEnv(t *testing.T, home string) []string {
	return append(cleanEnv(t, home), keyEnv()...)
}

// startWizardTmux runs `uimport import --base-url <srv> --skip-check` in
// tmux with HOME in s.home; the private key must never reach the screen.
// These tests type made-up ufileos.com URLs, which the object check would
// try to read over the internet; wizard_check_test.go covers the check.
func startWizardTmux(t *testing.T, srv *demoapi.Server, width, height int, extra ...string) *tmuxSession {
	t.Helper()
	home := t.TempDir()
	args := append([]string{"import", "--base-url", srv.URL(), "--skip-check"}, extra...)
	s := startTmux(t, width, height, wizardEnv(t, home), args...)
	s.forbid, s.home = []string{demoapi.PrivateKey}, home
	return s
}

// chooseURL answers the URL step's first question: the image is already
// in UFile.
func chooseURL(s *tmuxSession) {
	s.waitFor("Where is the image?", "> Already in UFile (a URL)")
	s.keys("Enter")
}

// importsSent returns the ImportCustomImage requests the server received.
func importsSent(srv *demoapi.Server) []demoapi.Request {
	var out []demoapi.Request
	for _, r := range srv.Requests() {
		if r.Action == "ImportCustomImage" {
			out = append(out, r)
		}
	}
	return out
}

// Screens in order, each left by pressing its keys. The strings are what
// each screen shows once it is ready for keys.
func toRegion(s *tmuxSession) {
	s.t.Helper()
	s.waitFor("Keys from:", "environment (UCLOUD_PUBLIC_KEY)", "demo…port")
	s.keys("Enter")
	s.waitFor("Singapore (default)")
}

func toDetails(s *tmuxSession) {
	s.t.Helper()
	toRegion(s)
	s.keys("Enter")
	s.waitFor("┃ Project")
	s.keys("Enter")
	s.waitFor("About the system (1/3)")
}

func TestWizardTypedLikeAPerson(t *testing.T) {
	srv := startAPI(t)
	s := startWizardTmux(t, srv, 80, 24)
	toRegion(s)

	s.keys("/") // filter the regions
	s.typeText("hong")
	s.waitFor("Hong Kong")
	s.keys("Enter")
	s.waitFor("┃ Project")
	s.keys("Down")
	s.waitFor("> org-demo02")
	s.keys("Enter")

	s.waitFor("About the system (1/3)", "┃ Image name")
	s.typeText("web base 中文")
	s.waitFor("web base 中文")
	s.keys("Enter")
	s.waitFor("┃ OS type")
	s.keys("Down") // Ubuntu
	s.waitFor("> Ubuntu")
	s.keys("Enter")
	s.waitFor("Version and format (2/3)", "┃ OS name", "Ubuntu 24.04 64位") // the name follows the type
	s.keys("C-u")
	s.typeText("Ubuntu 22.04 64位")
	s.waitFor("> Ubuntu 22.04 64位")
	s.keys("Enter")
	s.waitFor("┃ Format")
	s.keys("Enter") // qcow2
	s.waitFor("Labels, optional (3/3)", "┃ Business group")
	s.typeText("e2e")
	s.keys("Enter")
	s.waitFor("┃ Description")
	s.typeText("typed in tmux")
	s.keys("Enter")

	chooseURL(s)
	s.waitFor("┃ UFile URL of the image")
	s.typeText("https://mybucket.cn-bj.ufileos.com/img/web.qcow2")
	s.waitFor("UFile region cn-bj but the image goes to hk") // says so as you type
	s.keys("C-u")
	s.typeText("https://mybucket.hk.ufileos.com/img/web.qcow2")
	s.waitFor("> https://mybucket.hk.ufileos.com/img/web.qcow2")
	s.keys("Enter")

	s.waitFor("Do you authorise this import?", "MBR partition table")
	s.keys("y")
	scr := s.waitFor("Signature", "Review the signed request")
	wantIn(t, "preview", scr, "ImageName         web base 中文", "Region            hk", "demo…port  (r reveals)")
	wantNotIn(t, "preview", scr, demoapi.PublicKey)
	if n := len(srv.Requests()); n != 2 { // GetRegion and GetProjectList, nothing else yet
		t.Errorf("%d requests before Submit: %+v", n, srv.Requests())
	}

	// A resize redraws at the new size: no line left wrapped by the
	// terminal (capture-pane -J joins those), the key help whole or cut
	// with "…" rather than spilling over.
	s.resize(100, 30)
	waitFits(t, s, 100, "ctrl+c quit")
	s.resize(60, 20)
	waitFits(t, s, 60, "←/→/enter buttons")
	s.resize(80, 24)
	waitFits(t, s, 80, "ctrl+c quit")

	s.keys("Left", "Enter") // Submit: the preview opens on Back
	s.waitFor("Import submitted", "ImageId")
	s.keys("q")

	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.last)
	}
	id := strings.TrimSpace(s.stdout())
	if !imageID.MatchString(id) || s.stdout() != id+"\n" {
		t.Errorf("stdout = %q, want the ImageId alone", s.stdout())
	}
	wantIn(t, "final screen", s.last,
		"Import submitted: "+id+" (web base 中文) in hk.",
		"Next time: uimport import --yes --base-url "+srv.URL()+" --region hk --project-id org-demo02 --name 'web base 中文' --url https://mybucket.hk.ufileos.com/img/web.qcow2 --os-type Ubuntu --os-name 'Ubuntu 22.04 64位' --format qcow2 --tag e2e --description 'typed in tmux'")

	// The choices are remembered for next time.
	cfg, err := os.ReadFile(filepath.Join(s.home, ".config", "uimport", "config.json"))
	if err != nil {
		t.Fatalf("no config written: %v", err)
	}
	wantIn(t, "config", string(cfg), `"region": "hk"`, `"project_id": "org-demo02"`, `"last_os_type": "Ubuntu"`, `"last_format": "qcow2"`)

	sent := importsSent(srv)
	if len(sent) != 1 || !sent[0].SignatureValid || sent[0].Method != "POST" {
		t.Fatalf("imports sent: %+v", sent)
	}
	for k, v := range map[string]string{"Region": "hk", "ProjectId": "org-demo02", "ImageName": "web base 中文", "OsType": "Ubuntu",
		"OsName": "Ubuntu 22.04 64位", "Format": "qcow2", "Auth": "true", "Tag": "e2e", "ImageDescription": "typed in tmux",
		"UFileUrl": "https://mybucket.hk.ufileos.com/img/web.qcow2"} {
		if got := sent[0].Params[k]; got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

// waitFits waits until the preview is redrawn to fit width and shows help.
func waitFits(t *testing.T, s *tmuxSession, width int, help string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		scr, wide := s.screen(), ""
		for _, l := range strings.Split(scr, "\n") {
			if ansi.StringWidth(l) > width {
				wide = l
			}
		}
		if wide == "" && strings.Contains(scr, "Submit    Back") && strings.Contains(scr, help) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not redrawn for %d columns (wide line %q):\n%s", width, wide, scr)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// A refusal shows what it means and what to do; quitting exits 3 and
// nothing is sent twice.
func TestWizardAPIRefusalExits3(t *testing.T) {
	srv := startAPI(t)
	srv.SetFault("ImportCustomImage", demoapi.Fault{RetCode: 8095, Message: "Quota exceeded"})
	s := startWizardTmux(t, srv, 80, 24,
		"--region", "sg", "--name", "quota-test", "--url", "https://b.sg.ufileos.com/d.qcow2",
		"--os-type", "CentOS", "--os-name", "CentOS 7.9 64位", "--format", "qcow2")
	toDetails(s)
	for _, f := range []string{"┃ Image name", "┃ OS type", "┃ OS name", "┃ Format", "┃ Business group", "┃ Description"} {
		s.waitFor(f)
		s.keys("Enter")
	}
	s.waitFor("> https://b.sg.ufileos.com/d.qcow2") // pre-filled from the flag
	s.keys("Enter")
	s.waitFor("Do you authorise this import?")
	s.keys("y")
	s.waitFor("Signature")
	s.keys("Left", "Enter") // the preview opens on Back: ← is Submit
	s.waitFor("RetCode 8095", "What it means:", "What to do:")
	s.keys("Enter") // does nothing here: never a resend
	s.keys("q")
	if code := s.exitCode(); code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, s.last)
	}
	wantIn(t, "final screen", s.last, "RetCode 8095")
	if n := len(importsSent(srv)); n != 1 {
		t.Errorf("%d imports sent, want 1", n)
	}
}
