package ext4_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/uimport/uimport/filesystem"
)

// compareTree checks that fsys holds exactly src: every directory listing,
// type, permission, size, symlink target and file content.
func compareTree(t *testing.T, fsys *filesystem.FS, src string) {
	t.Helper()
	seen := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		rel = filepath.ToSlash(rel)
		want, err := os.Lstat(path)
		if err != nil {
			return err
		}
		got, err := fsys.Lstat(rel)
		if err != nil {
			t.Errorf("Lstat %s: %v", rel, err)
			return nil
		}
		seen++
		if rel != "." && got.Mode() != want.Mode() {
			t.Errorf("%s: mode %v, want %v", rel, got.Mode(), want.Mode())
		}
		if rel != "." && want.Mode().IsRegular() && got.ModTime().Unix() != want.ModTime().Unix() {
			t.Errorf("%s: modified %v, want %v", rel, got.ModTime(), want.ModTime())
		}
		switch {
		case want.Mode()&fs.ModeSymlink != 0:
			wantTarget, _ := os.Readlink(path)
			target, err := fsys.ReadLink(rel)
			if err != nil || target != wantTarget {
				t.Errorf("ReadLink %s = %q, %v; want %q", rel, target, err, wantTarget)
			}
		case want.IsDir():
			compareDir(t, fsys, rel, path)
		case want.Mode().IsRegular():
			if got.Size() != want.Size() {
				t.Errorf("%s: size %d, want %d", rel, got.Size(), want.Size())
				return nil
			}
			compareFile(t, fsys, rel, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// And nothing more: the guest holds what src holds, plus lost+found.
	count := 0
	err = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Errorf("WalkDir %s: %v", path, err)
			return nil
		}
		if path == "lost+found" {
			return fs.SkipDir
		}
		count++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != seen {
		t.Errorf("guest has %d paths, source %d", count, seen)
	}
}

func compareDir(t *testing.T, fsys *filesystem.FS, rel, path string) {
	t.Helper()
	wantEntries, err := os.ReadDir(path)
	if err != nil {
		t.Fatal(err)
	}
	gotEntries, err := fsys.ReadDir(rel)
	if err != nil {
		t.Errorf("ReadDir %s: %v", rel, err)
		return
	}
	var want, got []string
	for _, e := range wantEntries {
		want = append(want, e.Name()+" "+e.Type().String())
	}
	for _, e := range gotEntries {
		if rel == "." && e.Name() == "lost+found" {
			continue
		}
		got = append(got, e.Name()+" "+e.Type().String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("ReadDir %s: %d entries, want %d (first: %v / %v)", rel, len(got), len(want), first(got), first(want))
	}
}

func first(s []string) []string { return s[:min(len(s), 3)] }

// compareFile compares every data segment of the (possibly sparse) source
// file, and a piece of every hole, which must read as zeros.
func compareFile(t *testing.T, fsys *filesystem.FS, rel, path string) {
	t.Helper()
	srcFile, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer srcFile.Close()
	st, _ := srcFile.Stat()
	size := st.Size()
	f, err := fsys.Open(rel)
	if err != nil {
		t.Errorf("Open %s: %v", rel, err)
		return
	}
	defer f.Close()
	ra := f.(io.ReaderAt)
	check := func(off, n int64) {
		n = min(n, size-off)
		if n <= 0 {
			return
		}
		want := make([]byte, n)
		if _, err := srcFile.ReadAt(want, off); err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		got := make([]byte, n)
		if m, err := ra.ReadAt(got, off); int64(m) != n || (err != nil && !errors.Is(err, io.EOF)) {
			t.Errorf("%s: ReadAt(%d, %d) = %d, %v", rel, n, off, m, err)
			return
		}
		if d := equalBytes(got, want); d != "" {
			t.Errorf("%s at %d (+%d): %s", rel, off, n, d)
		}
	}
	if size <= filesystem.MaxReadFile {
		got, err := fsys.ReadFile(rel)
		want, _ := os.ReadFile(path)
		if err != nil {
			t.Errorf("ReadFile %s: %v", rel, err)
		} else if d := equalBytes(got, want); d != "" {
			t.Errorf("ReadFile %s: %s", rel, d)
		}
		if size <= 1<<20 {
			return
		}
	}
	// SEEK_DATA (3) and SEEK_HOLE (4) walk the source's data segments.
	for off := int64(0); off < size; {
		data, err := srcFile.Seek(off, 3)
		if err != nil {
			break // no more data
		}
		hole, err := srcFile.Seek(data, 4)
		if err != nil {
			t.Fatal(err)
		}
		if data > off {
			check(off+(data-off)/2, 4096) // inside the hole
		}
		for p := data; p < hole; p += 1 << 20 {
			check(p, min(1<<20, hole-p))
		}
		off = hole
	}
	check(size-1, 1)
	// Reading past the end says io.EOF.
	if n, err := ra.ReadAt(make([]byte, 10), size); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("%s: ReadAt at the end = %d, %v", rel, n, err)
	}
	if n, err := ra.ReadAt(make([]byte, 10), size-5); n != 5 || !errors.Is(err, io.EOF) {
		t.Errorf("%s: ReadAt over the end = %d, %v", rel, n, err)
	}
}

// checkLinks checks the guest's symlinks resolve inside the guest.
func checkLinks(t *testing.T, fsys *filesystem.FS, src string) {
	t.Helper()
	for _, name := range []string{"etc/os-release", "etc/abs-release", "etc/long-link", "etc/longer-link"} {
		b, err := fsys.ReadFile(name)
		if err != nil || string(b) != osRelease {
			t.Errorf("ReadFile %s = %q, %v", name, b, err)
		}
	}
	// A directory symlink in the middle of the path.
	want, _ := os.ReadFile(filepath.Join(src, "usr/lib/modules/5.14.0/kernel/drivers/block/virtio_blk.ko.xz"))
	got, err := fsys.ReadFile("lib/modules/5.14.0/kernel/drivers/block/virtio_blk.ko.xz")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("ReadFile through lib -> usr/lib: %d bytes, %v", len(got), err)
	}
	if ents, err := fsys.ReadDir("etc/modules-abs"); err != nil || len(ents) != 1 || ents[0].Name() != "5.14.0" {
		t.Errorf("ReadDir etc/modules-abs = %v, %v", ents, err)
	}
	if st, err := fsys.Stat("bin/sh"); err != nil || st.Size() != 123457 {
		t.Errorf("Stat bin/sh = %v, %v", st, err)
	}
	for _, name := range []string{"loop/a", "loop/self", "loop/a/x"} {
		if _, err := fsys.ReadFile(name); !errors.Is(err, filesystem.ErrLinkLoop) {
			t.Errorf("ReadFile %s: %v, want a link loop", name, err)
		}
	}
	if _, err := fsys.Stat("loop/dangling"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat loop/dangling: %v, want not exist", err)
	}
	if _, err := fsys.Stat("etc/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat etc/missing: %v, want not exist", err)
	}
}
