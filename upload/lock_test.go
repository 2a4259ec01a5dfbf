//go:build unix

package upload

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLockFile(t *testing.T) {
	dir := t.TempDir()
	path := lockName(dir, "bucket", "key")
	if lockName(dir, "bucket", "key2") == path || lockName(dir, "bucket2", "key") == path {
		t.Fatal("lock names collide")
	}
	unlock, err := lockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockFile(path); err != ErrBusy {
		t.Fatalf("second lock: %v", err)
	}
	// The holder removes the file before unlocking; the next taker makes
	// a new one and holds it.
	os.Remove(path)
	unlock()
	unlock2, err := lockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("lock file: %v", err)
	}
	unlock2()

	// A lock file that is a symbolic link is not followed.
	target := filepath.Join(dir, "victim")
	os.WriteFile(target, []byte("x"), 0o600)
	os.Remove(path)
	os.Symlink(target, path)
	if _, err := lockFile(path); err == nil {
		t.Error("a symlinked lock file was followed")
	}
}
