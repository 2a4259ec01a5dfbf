package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// `uimport --demo` fills in one of the simulator's objects and checks it
// when the URL is confirmed: a qcow2 object declared as VMDK is caught
// before anything is signed, and "Set the format" fixes the import.
func TestWizardCheckCatchesFormatMismatch(t *testing.T) {
	home := t.TempDir()
	s := startTmux(t, 80, 24, cleanEnv(t, home), "--demo")
	s.waitFor("keys of the built-in simulator")
	s.keys("Enter")
	// The simulator's clean qcow2 guest disk, inspected: the format is
	// filled in as qcow2, which the user then changes to VMDK.
	s.waitFor("Where is the image?", "> Demo: Ubuntu 22.04 on MBR (qcow2)")
	s.keys("Enter")
	s.waitFor("Image inspected: Ubuntu 22.04", "Go on with this image?")
	s.keys("Enter")
	for _, f := range []string{"┃ Region", "┃ Project", "┃ Image name", "┃ OS type", "┃ OS name"} {
		s.waitFor(f)
		s.keys("Enter")
	}
	s.waitFor("┃ Format", "> qcow2")
	s.keys("Down", "Down")
	s.waitFor("> VMDK")
	s.keys("Enter")
	for _, f := range []string{"┃ Business group", "┃ Description"} {
		s.waitFor(f)
		s.keys("Enter")
	}

	// The URL is the image's, chosen first: a qcow2 now declared VMDK.
	qcowKey := "guests/ubuntu-22.04-mbr.qcow2"
	s.waitFor("UFile URL of the image", qcowKey)
	s.keys("Enter")

	scr := s.waitFor("The import would fail as it is", "Set the format to qcow2 (recommended)")
	wantIn(t, "mismatch screen", scr, "DEMO", "Object checked: qcow2", "the object is qcow2 but the format given is VMDK",
		"Continue anyway as VMDK", "Edit the URL")
	s.keys("Enter")
	s.waitFor("Do you authorise this import?", "Object checked: qcow2")
	s.keys("y")
	scr = s.waitFor("Signature", "Object checked: qcow2")
	wantIn(t, "preview", scr, "Format            qcow2")
	s.keys("Left", "Enter") // the preview opens on Back: ← is Submit
	s.waitFor("Import submitted")
	s.keys("q")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.last)
	}
	id := strings.TrimSpace(s.stdout())
	if !imageID.MatchString(id) {
		t.Fatalf("stdout = %q", s.stdout())
	}
	wantIn(t, "final screen", s.last, "--format qcow2")

	// The journal holds what was sent: the import went through as qcow2.
	r := run(t, runOpts{Home: home}, "history", "--output", "json")
	wantCode(t, r, 0)
	var entries []struct {
		ImageID string            `json:"image_id"`
		Params  map[string]string `json:"params"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &entries); err != nil {
		t.Fatalf("history: %v\n%s", err, r.Stdout)
	}
	if len(entries) != 1 || entries[0].ImageID != id || entries[0].Params["Format"] != "qcow2" ||
		!strings.HasSuffix(entries[0].Params["UFileUrl"], "/"+qcowKey) {
		t.Errorf("history = %+v", entries)
	}
}
