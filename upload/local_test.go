package upload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imageformat"
)

func TestZeroRatio(t *testing.T) {
	dir := t.TempDir()
	sparse := filepath.Join(dir, "sparse.raw")
	f, _ := os.Create(sparse)
	f.WriteAt([]byte{1}, 0)
	f.Truncate(300 << 20) // a hole: costs no disk
	f.Close()
	if r, err := ZeroRatio(sparse); err != nil || r < 0.95 {
		t.Errorf("ZeroRatio(sparse) = %v, %v", r, err)
	}
	hint, ok := ZeroRatioHint(sparse)
	if !ok || !strings.Contains(hint, "without --as-is and --format RAW, only its data would be sent") {
		t.Errorf("hint %q %v", hint, ok)
	}
	data := writeFile(t, dir, "data.raw", 8<<20, 9)
	if r, err := ZeroRatio(data); err != nil || r > 0.5 {
		t.Errorf("ZeroRatio(data) = %v, %v", r, err)
	}
	if _, ok := ZeroRatioHint(data); ok {
		t.Error("hint for a small file of data")
	}
	if _, err := ZeroRatio(filepath.Join(dir, "none")); err == nil {
		t.Error("no error for a missing file")
	}
}

func TestSniffFile(t *testing.T) {
	dir := t.TempDir()
	q := filepath.Join(dir, "sample.qcow2")
	if err := demoapi.WriteSampleImage(q, 9<<20); err != nil {
		t.Fatal(err)
	}
	if r, err := SniffFile(q); err != nil || r.Format != imageformat.QCOW2 {
		t.Errorf("SniffFile(qcow2) = %+v, %v", r, err)
	}
	raw := writeFile(t, dir, "x.raw", 4096, 1)
	if r, err := SniffFile(raw); err != nil || r.Format != imageformat.RAW {
		t.Errorf("SniffFile(raw) = %+v, %v", r, err)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o644)
	if r, err := SniffFile(empty); err != nil || r.Accepted {
		t.Errorf("SniffFile(empty) = %+v, %v", r, err)
	}
}
