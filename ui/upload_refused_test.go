package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/importer"
)

// An upload refused before it began (the object's URL is one an import
// cannot take) does not say it "did not finish": nothing was sent.
func TestFileUploadRefusedBeforeItBegan(t *testing.T) {
	refused := &importer.NotStartedError{Err: errors.New("the object would be at http://x/web.qcow2, which the import cannot take")}
	up := &fakeUpload{fails: []error{refused}}
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), up, nil))
	toFile(t, r)
	typeFile(t, r, imageFile(t, "web.qcow2"), "bkt")
	s := r.p.waitFocus(t, "uploadfailed")
	wantView(t, s, "which the import cannot take", "Nothing was uploaded. What now?", "Back to the file")
	if strings.Contains(s.view, "did not finish") || strings.Contains(s.view, "not sent again") {
		t.Errorf("a refusal before the upload reads as an unfinished upload:\n%s", s.view)
	}
	r.Send(keyEnterMsg) // back to the file, the first choice
	r.p.waitFocus(t, "file")
}
