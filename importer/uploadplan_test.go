package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadyUpload refuses bad input before anything is read or sent.
func TestReadyUploadRefuses(t *testing.T) {
	s, _ := testSession(t, nil, false)
	ctx := context.Background()
	if _, err := s.ReadyUpload(ctx, UploadInput{File: FileSpec{Bucket: "b"}}); Classify(err) != ClassInput || !strings.Contains(Explain(err).ToDo, "uimport upload FILE") {
		t.Errorf("no file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(path, make([]byte, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.ReadyUpload(ctx, UploadInput{File: FileSpec{Path: path, Bucket: "b", Parallel: 4}, Format: "iso"})
	if Classify(err) != ClassInput || !strings.Contains(err.Error(), "--format") || !strings.Contains(Explain(err).ToDo, "qcow2") {
		t.Errorf("bad format: %v", err)
	}
}
