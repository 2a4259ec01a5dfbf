package xfs

import (
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"testing"

	"github.com/uimport/uimport/filesystem"
)

// overlay reads r with some bytes replaced, to corrupt one field of a
// real image without copying 300 MiB.
type overlay struct {
	r       io.ReaderAt
	patches map[int64][]byte
}

func (o overlay) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.r.ReadAt(p, off)
	for at, data := range o.patches {
		for i, c := range data {
			if pos := at + int64(i) - off; pos >= 0 && pos < int64(n) {
				p[pos] = c
			}
		}
	}
	return n, err
}

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func be64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// TestHostile corrupts one field at a time of a real image: each must
// give a CorruptError from the call that reads it, never a panic or a
// wrong answer.
func TestHostile(t *testing.T) {
	img := makeImage(t, smallTree(t), variants[0])
	addSymlinkHeaders(t, img, "remote")
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	size := st.Size()
	fsys, v, err := OpenFS(f, size)
	if err != nil {
		t.Fatal(err)
	}
	bs := int64(v.sb.blockSize)
	inodeAt := func(name string) (int64, *Inode) {
		fi, err := fsys.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		in := fi.Sys().(*Inode)
		blk, off, _ := v.inodeBlock(in.Ino)
		return int64(blk)*bs + int64(off), in
	}
	firstBlock := func(name string) int64 {
		_, in := inodeAt(name)
		ext, err := v.extents(in)
		if err != nil || len(ext) == 0 {
			t.Fatalf("%s: %v %v", name, ext, err)
		}
		return int64(ext[0].blk) * bs
	}
	rootAt, _ := inodeAt(".")
	manyBlk := firstBlock("many")
	osrelAt, _ := inodeAt("usr/lib/os-release")
	remoteBlk := firstBlock("remote")
	const core = 176

	for _, tc := range []struct {
		name    string
		patches map[int64][]byte
		use     func(*filesystem.FS) error
	}{
		{"agcount 0", map[int64][]byte{88: be32(0)}, nil},
		{"block size off its log", map[int64][]byte{4: be32(8192)}, nil},
		{"agblklog too small", map[int64][]byte{124: {3}}, nil},
		{"dblocks past the groups", map[int64][]byte{8: be64(1 << 40)}, nil},
		{"root inode past the groups", map[int64][]byte{56: be64(1 << 50)}, readRoot},
		{"root inode magic", map[int64][]byte{rootAt: {'X', 'X'}}, readRoot},
		{"root inode number", map[int64][]byte{rootAt + 152: be64(999)}, readRoot},
		{"root short-form count", map[int64][]byte{rootAt + core: {200}}, readRoot},
		{"short-form name length", map[int64][]byte{rootAt + core + 6: {250}}, readRoot},
		{"directory block magic", map[int64][]byte{manyBlk: []byte("XXXX")}, readDir("many")},
		{"directory entry length", map[int64][]byte{manyBlk + dataHdrV5 + 8: {255}}, readDir("many")},
		{"directory free length", map[int64][]byte{manyBlk + dataHdrV5: {0xff, 0xff, 0, 3}}, readDir("many")},
		{"directory owner", map[int64][]byte{manyBlk + 40: be64(12345)}, readDir("many")},
		{"extent past the end", map[int64][]byte{osrelAt + core + 8: {0xff, 0xff, 0xff, 0xff}}, readFile("usr/lib/os-release")},
		{"extent of no blocks", map[int64][]byte{osrelAt + core + 13: {0, 0, 0}}, readFile("usr/lib/os-release")},
		{"extent count past the fork", map[int64][]byte{osrelAt + 76: be32(1000)}, readFile("usr/lib/os-release")},
		{"btree root level", map[int64][]byte{osrelAt + 5: {fmtBtree}, osrelAt + core: be16(11)}, readFile("usr/lib/os-release")},
		{"symlink block magic", map[int64][]byte{remoteBlk: []byte("XXXX")}, readLink("remote")},
		{"symlink block length", map[int64][]byte{remoteBlk + 8: be32(5000)}, readLink("remote")},
		{"symlink size", map[int64][]byte{mustInodeAt(t, inodeAt, "remote") + 56: be64(1 << 20)}, readLink("remote")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := overlay{r: f, patches: tc.patches}
			hfs, _, err := OpenFS(r, size)
			if tc.use == nil {
				if !isCorrupt(err) {
					t.Fatalf("Open: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if err := tc.use(hfs); !isCorrupt(err) {
				t.Fatalf("got %v, want a CorruptError", err)
			}
		})
	}
}

func mustInodeAt(t *testing.T, at func(string) (int64, *Inode), name string) int64 {
	off, _ := at(name)
	return off
}

func isCorrupt(err error) bool {
	var ce *filesystem.CorruptError
	return errors.As(err, &ce)
}

func readRoot(f *filesystem.FS) error {
	_, err := f.ReadDir(".")
	return err
}

func readDir(name string) func(*filesystem.FS) error {
	return func(f *filesystem.FS) error {
		_, err := f.ReadDir(name)
		return err
	}
}

func readFile(name string) func(*filesystem.FS) error {
	return func(f *filesystem.FS) error {
		_, err := fs.ReadFile(f, name)
		return err
	}
}

func readLink(name string) func(*filesystem.FS) error {
	return func(f *filesystem.FS) error {
		_, err := f.ReadLink(name)
		return err
	}
}
