package demoapi

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// A link planted where the sample goes is replaced, not written through.
func TestWriteSampleImageReplacesLink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o600)
	path := filepath.Join(dir, "uimport-sample-1048576.qcow2")
	if err := os.Symlink(victim, path); err != nil {
		t.Fatal(err)
	}
	if err := WriteSampleImage(path, 1<<20); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Error("the link's target was overwritten")
	}
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() || fi.Size() != 1<<20 {
		t.Errorf("sample: %v, %v", fi, err)
	}
}

func TestSampleImagePrivateDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	path, kept, err := SampleImage(1 << 20)
	if err != nil || kept {
		t.Fatalf("SampleImage = %s, %v, %v", path, kept, err)
	}
	dir := filepath.Join(tmp, "uimport-"+strconv.Itoa(os.Getuid()))
	if filepath.Dir(path) != dir {
		t.Errorf("sample at %s, want it in %s", path, dir)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v", fi.Mode())
	}
	if _, kept, _ := SampleImage(1 << 20); !kept {
		t.Error("the sample was not kept")
	}
	// Someone else's directory (here: a link, or one anybody can write)
	// is refused.
	os.RemoveAll(dir)
	os.Symlink(t.TempDir(), dir)
	if _, _, err := SampleImage(1 << 20); err == nil {
		t.Error("a linked directory was used")
	}
	os.Remove(dir)
	os.Mkdir(dir, 0o777)
	os.Chmod(dir, 0o777)
	if _, _, err := SampleImage(1 << 20); err == nil {
		t.Error("a world-writable directory was used")
	}
}
