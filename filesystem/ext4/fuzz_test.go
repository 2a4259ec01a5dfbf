package ext4_test

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/filesystem/ext4"
)

// fuzzSeed builds a small image (mke2fs args) holding a bit of everything:
// directories, files, a fast and a slow symlink, a hard link, a sparse file.
func fuzzSeed(f *testing.F, args ...string) []byte {
	f.Helper()
	src := f.TempDir()
	p := func(rel string) string { return filepath.Join(src, rel) }
	write(f, p("usr/lib/os-release"), []byte(osRelease))
	write(f, p("boot/config"), randomBytes(1, 3000))
	write(f, p("etc/fstab"), []byte("/dev/vda1 / ext4 defaults 0 1\n"))
	write(f, p("etc/tiny"), []byte("hi"))
	symlink(f, "../usr/lib/os-release", p("etc/os-release"))
	symlink(f, strings.Repeat("./", 40)+"usr/lib", p("lib"))
	writeAt(f, p("sparse"), 40000, map[int64][]byte{30000: []byte("end")})
	if err := os.Link(p("etc/tiny"), p("tiny-link")); err != nil {
		f.Fatal(err)
	}
	img := mkfs(f, src, 128<<10, append([]string{"-b", "1024", "-N", "32", "-m", "0"}, args...)...)
	b, err := os.ReadFile(img)
	if err != nil {
		f.Fatal(err)
	}
	// The image's tail is zeros; readAll puts them back. A short seed
	// makes the fuzzer's mutations land on structures, not on padding.
	return bytes.TrimRight(b, "\x00")
}

// fuzzImageSize is the size readAll gives every image: the fuzz input,
// then zeros.
const fuzzImageSize = 128 << 10

// zeroPadded reads data followed by zeros up to size.
type zeroPadded struct {
	data []byte
	size int64
}

func (z zeroPadded) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= z.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), z.size-off))
	clear(p[:n])
	if off < int64(len(z.data)) {
		copy(p[:n], z.data[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// FuzzOpen opens mutated images and reads everything in them: it must
// never panic or run away, whatever the bytes.
func FuzzOpen(f *testing.F) {
	f.Add(fuzzSeed(f, "-t", "ext4", "-O", "^has_journal,^resize_inode"))
	f.Add(fuzzSeed(f, "-t", "ext2", "-O", "^resize_inode"))
	f.Add(fuzzSeed(f, "-t", "ext4", "-O", "^has_journal,^resize_inode,inline_data,^64bit,^metadata_csum", "-I", "256"))
	f.Fuzz(func(t *testing.T, img []byte) { readAll(img) })
}

// readAll opens img and reads everything it can, bounded.
func readAll(img []byte) {
	{
		size := max(int64(len(img)), fuzzImageSize)
		fsys, v, err := ext4.OpenFS(zeroPadded{data: img, size: size}, size)
		if err != nil {
			return
		}
		_ = v.Info()
		visited := 0
		_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			visited++
			if visited > 500 { // a directory may contain itself
				return fs.SkipAll
			}
			if err != nil || d == nil {
				return nil
			}
			_, _ = d.Info()
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				_, _ = fsys.ReadLink(path)
				_, _ = fsys.Stat(path)
			case d.Type().IsRegular():
				if fl, err := fsys.Open(path); err == nil {
					_, _ = io.CopyN(io.Discard, fl, 1<<20)
					fl.Close()
				}
			}
			return nil
		})
		_, _ = fsys.ReadFile("etc/os-release")
		_, _ = fsys.ReadDir("lib")
	}
}
