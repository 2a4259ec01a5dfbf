package ui

import (
	"context"
	"strings"
	"testing"
)

// retryingUpload reports some progress, then a retry, then finishes.
func retryingUpload(ctx context.Context, req UploadRequest, progress UploadProgress) (string, string, error) {
	progress(UploadStatus{Done: 4 << 20, Total: 12 << 20, PartsDone: 1, PartsTotal: 3})
	progress(UploadStatus{Retry: "retrying part 2 (2/8) in 1s: connection refused"})
	<-ctx.Done() // held until the test has looked
	return "", "", ctx.Err()
}

// A retry of an upload call is said in the wizard, and the bar keeps the
// figures it had.
func TestFileUploadSaysRetries(t *testing.T) {
	opts := fileOptions(newFakeAPI(), newFakeCheck(), &fakeUpload{}, nil)
	hooks(opts).upload = retryingUpload
	r := startWizard(t, opts)
	toFile(t, r)
	typeFile(t, r, imageFile(t, "web.qcow2"), "bkt")
	s := r.p.waitText(t, "retrying part 2 (2/8) in 1s: connection refused")
	if !strings.Contains(s.view, "33%") {
		t.Errorf("the bar lost its figures on a retry:\n%s", s.view)
	}
}

// Line by line, every retry is a line.
func TestAccessibleUploadSaysRetries(t *testing.T) {
	out := &lockedBuffer{}
	opts := fileOptions(newFakeAPI(), newFakeCheck(), &fakeUpload{}, []string{"alpha"})
	hooks(opts).upload = func(ctx context.Context, req UploadRequest, progress UploadProgress) (string, string, error) {
		progress(UploadStatus{Done: 4 << 20, Total: 12 << 20})
		progress(UploadStatus{Retry: "retrying part 2 (2/8) in 1s: connection refused"})
		progress(UploadStatus{Done: 12 << 20, Total: 12 << 20})
		return "https://alpha.sg.ufileos.com/disk.qcow2", "", nil
	}
	opts.Accessible, opts.Out = true, out
	opts.In = &answers{lines: []string{
		"", "", "web-base", "", "", "", "", "",
		"2", imageFile(t, "disk.qcow2"), "1", "",
		"y", "1", "n",
	}}
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "retrying part 2 (2/8) in 1s: connection refused") {
		t.Errorf("no retry line:\n%s", out)
	}
}
