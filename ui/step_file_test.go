package ui

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// toFile walks to the URL step and chooses "a file on this machine".
func toFile(t *testing.T, r *run) {
	t.Helper()
	gotoStep(t, r, stepURL)
	s := r.p.waitFocus(t, "source")
	wantView(t, s, "Where is the image?", "Already in UFile (a URL)", "A file on this machine")
	r.Send(keyDownMsg, keyEnterMsg)
	r.p.waitFocus(t, "file")
}

// typeFile types path, then Enter through the bucket (typed when name is
// not "") and the key (left empty: the file's name).
func typeFile(t *testing.T, r *run, path, bucket string) {
	t.Helper()
	r.Type(path)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "bucket")
	r.Type(bucket)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "key")
	r.Send(keyEnterMsg)
}

// With no Upload hook the URL step asks for the URL straight away (the
// other URL tests); with one, it first asks where the image is, and Esc
// on the URL field comes back to that question.
func TestFileChoiceScreen(t *testing.T) {
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), &fakeUpload{}, nil))
	gotoStep(t, r, stepURL)
	r.p.waitFocus(t, "source")
	r.Send(keyEnterMsg) // already in UFile
	r.p.waitFocus(t, "url")
	r.Send(keyEscMsg)
	r.p.waitFocus(t, "source")
	r.Send(keyEscMsg)
	r.p.waitStep(t, stepDetails)
}

// The path must be a readable regular file; the bucket is typed, with a
// line saying why, when there is no list.
func TestFilePathValidatedAndBucketTyped(t *testing.T) {
	up := &fakeUpload{}
	check := newFakeCheck()
	r := startWizard(t, fileOptions(newFakeAPI(), check, up, nil))
	toFile(t, r)
	r.p.waitText(t, "Type the name of the bucket to upload to.")
	dir := t.TempDir()
	r.Type(dir + "/nothing.qcow2")
	r.p.waitText(t, "there is no file at")
	r.Send(keyEnterMsg)
	if s := r.p.get(); s.focus != "file" {
		t.Fatalf("a missing file was accepted:\n%s", s.view)
	}
	r.Send(keyCtrlUMsg)
	r.Type(dir)
	r.p.waitText(t, "is a directory")
	r.Send(keyCtrlUMsg)
	path := imageFile(t, "web.qcow2")
	r.p.waitFor(t, "the field cleared", func(s snapshot) bool { return !strings.Contains(s.view, "is a directory") })
	typeFile(t, r, path, "mybucket")
	s := r.p.waitStep(t, stepAuth)
	wantView(t, s, "Uploaded and verified: web.qcow2 → mybucket/web.qcow2", "pre-signed for 24 h")
	if got := up.calls(); len(got) != 1 || got[0] != (uploadTarget{path, "mybucket", "web.qcow2"}) {
		t.Errorf("uploads %+v", got)
	}
	if s.spec.URL != "https://mybucket.sg.ufileos.com/web.qcow2?Signature=x" || check.calls() != 0 {
		t.Errorf("URL %q after %d object checks; want the uploaded URL, unchecked", s.spec.URL, check.calls())
	}
	r.Send(char('y'))
	s = r.p.waitFor(t, "the preview", func(s snapshot) bool { return s.step == stepPreview && strings.Contains(s.view, "Signature") })
	wantView(t, s, "✓ Uploaded and verified: web.qcow2 → mybucket/web.qcow2")
	if s.request.Params["UFileUrl"] != s.spec.URL {
		t.Errorf("signed UFileUrl %q", s.request.Params["UFileUrl"])
	}
}

// A bucket list is a pick list; going back and confirming the same file
// again sends nothing twice.
func TestFileBucketPickedAndNotSentTwice(t *testing.T) {
	up := &fakeUpload{}
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), up, []string{"alpha", "beta"}))
	toFile(t, r)
	r.Type(imageFile(t, "web.qcow2"))
	r.Send(keyEnterMsg)
	s := r.p.waitFocus(t, "bucket")
	wantView(t, s, "alpha", "beta")
	r.Send(keyDownMsg, keyEnterMsg)
	r.p.waitFocus(t, "key")
	r.Type("images/web.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Uploaded and verified: web.qcow2 → beta/images/web.qcow2")
	r.Send(keyEscMsg)
	r.p.waitFocus(t, "source")
	r.Send(keyEnterMsg) // the choice kept: the file
	r.p.waitFocus(t, "file")
	r.Send(keyEnterMsg, keyEnterMsg, keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if n := len(up.calls()); n != 1 {
		t.Errorf("%d uploads, want 1", n)
	}
}

// A VMDK declared qcow2 is caught before a byte is sent; setting the
// format fixes the draft, then it uploads.
func TestFileFormatMismatchSetsFormat(t *testing.T) {
	up := &fakeUpload{}
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), up, nil))
	toFile(t, r)
	typeFile(t, r, imageFile(t, "disk.vmdk"), "b")
	s := r.p.waitFocus(t, "fileblocked")
	wantView(t, s, "✗ the file is VMDK but the format given is qcow2", "Set the format to VMDK (recommended)",
		"Continue anyway as qcow2", "Choose another file")
	if n := len(up.calls()); n != 0 {
		t.Fatalf("%d uploads before the choice", n)
	}
	r.Send(keyEnterMsg)
	s = r.p.waitStep(t, stepAuth)
	if s.spec.Format != "VMDK" || len(up.calls()) != 1 {
		t.Errorf("format %q, %d uploads", s.spec.Format, len(up.calls()))
	}
}

// Progress is drawn as a bar with figures, and thinned out however often
// the engine reports.
func TestFileUploadProgressThrottled(t *testing.T) {
	up := &fakeUpload{spam: 400, tick: 2 * time.Millisecond, gate: make(chan struct{}), reported: make(chan struct{})}
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), up, nil))
	toFile(t, r)
	start := time.Now()
	typeFile(t, r, imageFile(t, "web.qcow2"), "b")
	s := r.p.waitText(t, "MiB/s · ETA")
	wantView(t, s, "Upload web.qcow2 → b/web.qcow2", "of 400 MiB", "parts", "esc stop the upload")
	<-up.reported // 400 reports, 2 ms apart: ~0.8 s on an idle machine, longer on a busy one
	elapsed := time.Since(start)
	close(up.gate)
	s = r.p.waitStep(t, stepAuth)
	// The bound follows the time the reports really took, so a loaded
	// machine does not fail the test; 400 messages would.
	if most := int(elapsed.Seconds()*4) + 3; s.progressMsgs < 1 || s.progressMsgs > most {
		t.Errorf("%d progress messages for 400 reports in %s; want at most ~4 a second (%d)", s.progressMsgs, elapsed.Round(time.Millisecond), most)
	}
}

// A failed upload shows its error and hint; Try again resumes it.
func TestFileUploadFailsThenRetry(t *testing.T) {
	up := &fakeUpload{fails: []error{&hinted{errors.New("the network is gone"), "Run the same command again to resume."}}}
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), up, nil))
	toFile(t, r)
	typeFile(t, r, imageFile(t, "web.qcow2"), "b")
	s := r.p.waitFocus(t, "uploadfailed")
	wantView(t, s, "✗ the network is gone", "Run the same command again to resume.",
		"Try again (finished parts are not sent again)", "Back to the file")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if n := len(up.calls()); n != 2 {
		t.Errorf("%d uploads, want 2", n)
	}
}

// Esc stops the upload and returns to the file; confirming resumes.
func TestFileUploadEscStops(t *testing.T) {
	up := &fakeUpload{gate: make(chan struct{})}
	r := startWizard(t, fileOptions(newFakeAPI(), newFakeCheck(), up, nil))
	toFile(t, r)
	typeFile(t, r, imageFile(t, "web.qcow2"), "b")
	r.p.waitText(t, "Uploading…")
	r.Send(keyEscMsg)
	r.p.waitText(t, "Upload stopped. Confirm the file again to resume it.")
	close(up.gate)
	r.Send(keyEnterMsg, keyEnterMsg, keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if n := len(up.calls()); n != 2 || up.cancels() != 1 {
		t.Errorf("%d uploads, %d cancelled", n, up.cancels())
	}
}

// Ctrl+C during the upload ends the wizard interrupted, the upload
// stopped (so the caller says how to resume), nothing submitted.
func TestFileUploadCtrlC(t *testing.T) {
	api := newFakeAPI()
	up := &fakeUpload{gate: make(chan struct{})}
	r := startWizard(t, fileOptions(api, newFakeCheck(), up, nil))
	toFile(t, r)
	typeFile(t, r, imageFile(t, "web.qcow2"), "b")
	r.p.waitText(t, "Uploading…")
	r.Send(keyCtrlCMsg)
	res := r.result(t)
	if !res.Interrupted || !res.UploadStopped || res.ImageID != "" || api.sendCount() != 0 {
		t.Errorf("result %+v, %d sent", res, api.sendCount())
	}
}

// `import --file F --bucket B` on a terminal: the URL step skips the
// question and starts on the file, filled in.
func TestFilePrefilledFromTheCommandLine(t *testing.T) {
	up := &fakeUpload{}
	opts := fileOptions(newFakeAPI(), newFakeCheck(), up, nil)
	path := imageFile(t, "web.qcow2")
	opts.File = FileSpec{Path: path, Bucket: "mybucket"}
	r := startWizard(t, opts)
	gotoStep(t, r, stepURL)
	s := r.p.waitFocus(t, "file")
	wantView(t, s, path)
	if strings.Contains(s.view, "Where is the image?") {
		t.Fatalf("the question --file answered was asked:\n%s", s.view)
	}
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "bucket")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "key")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if got := up.calls(); len(got) != 1 || got[0] != (uploadTarget{path, "mybucket", "web.qcow2"}) {
		t.Errorf("uploads %+v", got)
	}
}

// A slow file check (a compressed image is read through once) runs off the
// screen: the wizard shows it is checking and Esc goes back to the file.
func TestFileCheckDoesNotHoldUpTheScreen(t *testing.T) {
	release := make(chan struct{})
	up := &fakeUpload{}
	opts := fileOptions(newFakeAPI(), newFakeCheck(), up, nil)
	hooks(opts).sniffFile = func(path, declared string) (string, error, []string) {
		<-release
		return fakeSniff(path, declared)
	}
	r := startWizard(t, opts)
	defer close(release)
	toFile(t, r)
	typeFile(t, r, imageFile(t, "web.qcow2.xz"), "b")
	r.p.waitText(t, "Checking ")
	r.Send(keyEscMsg)
	r.p.waitText(t, "Image file on this machine")
	if n := len(up.calls()); n != 0 {
		t.Fatalf("%d uploads while the check had not answered", n)
	}
}
