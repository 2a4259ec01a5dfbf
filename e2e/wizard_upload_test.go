package e2e

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// "A file on this machine": the wizard lists the simulator's buckets,
// checks the file, uploads it with a progress bar, and imports the
// uploaded object, once.
func TestWizardUploadsALocalFile(t *testing.T) {
	srv := startAPI(t)
	file := sampleImage(t, "web.qcow2", 6<<20)
	s := startWizardTmux(t, srv, 80, 24, "--allow-http", // the simulator's objects are on http://127.0.0.1
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
	s.waitFor("┃ Bucket to upload to", "> "+demoapi.DemoBucket, demoapi.DemoPrivateBucket)
	s.keys("Enter")
	s.waitFor("┃ Object key")
	s.keys("Enter") // the file's name
	s.waitFor("Do you authorise this import?", "Uploaded and verified: web.qcow2 → demo-bucket/web.qcow2")
	s.keys("y")
	s.waitFor("Signature")
	s.keys("Left", "Enter") // the preview opens on Back: ← is Submit
	s.waitFor("Import submitted", "ImageId")
	s.keys("q")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.last)
	}
	if id := strings.TrimSpace(s.stdout()); !strings.HasPrefix(id, "uimage-") {
		t.Errorf("stdout = %q, want the ImageId", s.stdout())
	}
	sent := importsSent(srv)
	if len(sent) != 1 || !sent[0].SignatureValid {
		t.Fatalf("imports sent: %+v", sent)
	}
	if u := sent[0].Params["UFileUrl"]; !strings.HasSuffix(u, "/ufile/demo-bucket/web.qcow2") {
		t.Errorf("UFileUrl %q, want the uploaded object", u)
	}
	(&tlsAPI{Server: srv}).wantStored(t, demoapi.DemoBucket, "web.qcow2", file)
}
