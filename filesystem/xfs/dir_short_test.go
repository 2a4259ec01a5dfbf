package xfs

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"testing"

	"github.com/uimport/uimport/filesystem"
)

// shortformBytes builds a short-form directory fork by hand: 64-bit
// inode numbers need a file system of terabytes to appear naturally.
func shortformBytes(ftype bool, i8 bool, names []string, inos []uint64) []byte {
	b := []byte{byte(len(names)), 0}
	inoLen := 4
	if i8 {
		b[1] = 1
		inoLen = 8
	}
	put := func(ino uint64) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], ino)
		b = append(b, n[8-inoLen:]...)
	}
	put(128) // parent
	off := 0x60
	for i, name := range names {
		b = append(b, byte(len(name)), byte(off>>8), byte(off))
		b = append(b, name...)
		if ftype {
			b = append(b, 2) // directory
		}
		put(inos[i])
		off += 16
	}
	return b
}

func TestShortformDir(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ftype, i8 bool
		inos      []uint64
	}{
		{"ftype-ino32", true, false, []uint64{131, 132}},
		{"noftype-ino32", false, false, []uint64{131, 1 << 31}},
		{"ftype-ino64", true, true, []uint64{1 << 40, 133}},
		{"noftype-ino64", false, true, []uint64{131, 1<<56 + 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := &superblock{version: 5, incompat: inFType}
			if !tc.ftype {
				sb = &superblock{version: 4}
			}
			v := &Volume{sb: sb}
			names := []string{"bin", "etc"}
			fork := shortformBytes(tc.ftype, tc.i8, names, tc.inos)
			in := &Inode{Ino: 128, Mode: sIFDIR, Format: fmtLocal, Size: int64(len(fork)), fork: fork}
			var got []filesystem.Entry
			if err := v.shortformDir(in, func(e filesystem.Entry) bool { got = append(got, e); return true }); err != nil {
				t.Fatal(err)
			}
			wantType := fs.ModeIrregular
			if tc.ftype {
				wantType = fs.ModeDir
			}
			if len(got) != 2 {
				t.Fatalf("got %v", got)
			}
			for i, e := range got {
				if e.Name != names[i] || e.Ino != tc.inos[i] || e.Type != wantType {
					t.Errorf("entry %d = %+v", i, e)
				}
			}
			// Every truncation is reported, never read past.
			for n := 6; n < len(fork); n++ {
				in.Size = int64(n)
				err := v.shortformDir(in, func(filesystem.Entry) bool { return true })
				var ce *filesystem.CorruptError
				if !errors.As(err, &ce) {
					t.Errorf("truncated to %d bytes: %v", n, err)
				}
			}
		})
	}
}
