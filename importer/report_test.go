package importer

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/upload"
)

// Only what is true is said: a resume whose saved parts UFile did not
// confirm sent them all again, so "were not sent again" must not follow.
func TestUploadReportSaysOnlyWhatHappened(t *testing.T) {
	dropped := "48 saved part(s) were not confirmed by UFile and were sent again."
	notes, _ := UploadReport("/x/disk.raw", upload.Result{Resumed: true, Parts: 48, Notes: []string{dropped}, Verified: true})
	all := strings.Join(notes, "\n")
	if strings.Contains(all, "not sent again") || !strings.Contains(all, dropped) {
		t.Errorf("notes = %q", notes)
	}
	notes, _ = UploadReport("/x/disk.raw", upload.Result{Resumed: true, Parts: 48, SkippedParts: 40, SkippedBytes: 40 << 20, Verified: true})
	if all := strings.Join(notes, "\n"); !strings.Contains(all, "40 of 48 parts") {
		t.Errorf("a real resume is not reported: %q", notes)
	}
}
