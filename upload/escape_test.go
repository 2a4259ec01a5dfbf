package upload

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// A file name is untrusted text: it reaches the terminal escaped.
func TestFileNameEscapedInErrors(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{})
	o := e.opts(filepath.Join(t.TempDir(), "evil\x1b]0;PWNED\x07\n.raw"))
	o.Key = "k.raw"
	_, err := Upload(context.Background(), o)
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07\n") || !strings.Contains(err.Error(), `\x1b]0;PWNED\x07\n`) {
		t.Fatalf("err = %q", err)
	}
	ie := &IntegrityError{Bucket: "b", Key: "k\r", What: "the ETag", Want: "a", Got: "b\x1b[2J"}
	if strings.ContainsAny(ie.Error(), "\r\x1b") {
		t.Errorf("IntegrityError = %q", ie.Error())
	}
}
