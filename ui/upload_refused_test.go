package ui

import (
	"context"
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

// The same, line by line.
func TestAccessibleUploadRefusedBeforeItBegan(t *testing.T) {
	refused := &importer.NotStartedError{Err: errors.New("the object would be at http://x/disk.vmdk, which the import cannot take")}
	up := &fakeUpload{fails: []error{refused}}
	out := &lockedBuffer{}
	opts := fileOptions(newFakeAPI(), newFakeCheck(), up, []string{"alpha", "beta"})
	opts.Accessible, opts.Out = true, out
	opts.In = &answers{lines: []string{
		"", "", "web-base", "", "", "", "", "", // region … description
		"2", imageFile(t, "disk.qcow2"), "2", "", // a file, bucket beta, key
		"2",           // nothing was uploaded: try again
		"y", "1", "n", // authorise, submit, do not wait
	}}
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	text := out.String()
	if !strings.Contains(text, "Problem: nothing was uploaded: the object would be at") || strings.Contains(text, "did not finish") {
		t.Errorf("output:\n%s", text)
	}
}
