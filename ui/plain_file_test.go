package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Accessible mode asks the same questions line by line: where the image
// is, the file (a missing one is asked again), the bucket from the list,
// the key; a mismatch asks what to do; a failed upload is retried; the
// review says what was uploaded, and the object is not checked again.
func TestAccessibleFileUpload(t *testing.T) {
	check := newFakeCheck()
	up := &fakeUpload{spam: 3, fails: []error{&hinted{errors.New("the network is gone"), "Run it again to resume."}}}
	out := &lockedBuffer{}
	opts := fileOptions(newFakeAPI(), check, up, []string{"alpha", "beta"})
	opts.Accessible, opts.Out = true, out
	path := imageFile(t, "disk.vmdk")
	opts.In = &answers{lines: []string{
		"", "", "web-base", "", "", "", "", "", // region … description (format qcow2)
		"2",                     // a file on this machine
		path + ".missing", path, // asked again after a missing file
		"2", // bucket beta
		"",  // key: the file's name
		"1", // a VMDK, not qcow2: set the format
		"1", // the upload failed: try again
		"y", "1", "n",
	}}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	text := out.String()
	for _, want := range []string{
		"Where is the image?", "there is no file at", "File checked: VMDK (sniffed)",
		"Problem: the file is VMDK but the format given is qcow2", "Format set to VMDK.",
		"Uploading disk.vmdk → beta/disk.vmdk", "03:04:05 0 B of 3 MiB", "Problem: the upload did not finish: the network is gone",
		"Run it again to resume.", "Uploaded and verified: disk.vmdk → beta/disk.vmdk",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if res.ImageID == "" || res.Spec.Format != "VMDK" || !strings.Contains(res.Spec.URL, "beta.sg.ufileos.com/disk.vmdk") ||
		len(up.calls()) != 2 || check.calls() != 0 {
		t.Errorf("result %+v after %d uploads, %d checks", res, len(up.calls()), check.calls())
	}
	if t.Failed() || testing.Verbose() {
		t.Log(text)
	}
}
