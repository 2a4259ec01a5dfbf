package xfs

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/uimport/uimport/filesystem"
)

// A v4 data block whose last 8 bytes are neither free space nor a whole
// entry must be reported, not read past.
func TestDataBlockTail(t *testing.T) {
	v := &Volume{sb: &superblock{version: 4, versionNum: 4 | vDirV2Bit}}
	in := &Inode{Ino: 131, Mode: sIFDIR}
	b := make([]byte, 512)
	copy(b, "XD2D")
	be := binary.BigEndian
	// Free space from the header to 8 bytes before the end.
	be.PutUint16(b[dataHdrV4:], 0xffff)
	be.PutUint16(b[dataHdrV4+2:], uint16(len(b)-8-dataHdrV4))
	be.PutUint16(b[len(b)-10:], dataHdrV4)
	b[len(b)-8] = 1 // an inode number's first byte, not a free tag
	_, err := v.dataBlockEntries(in, b, func(filesystem.Entry) bool { return true })
	var ce *filesystem.CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	// A well-formed block: one entry, then free space to the end.
	clear(b)
	copy(b, "XD2D")
	p := dataHdrV4
	be.PutUint64(b[p:], 4242)
	b[p+8] = 3
	copy(b[p+9:], "abc")
	be.PutUint16(b[p+14:], uint16(p)) // tag; entry is 16 bytes
	p += 16
	be.PutUint16(b[p:], 0xffff)
	be.PutUint16(b[p+2:], uint16(len(b)-p))
	be.PutUint16(b[len(b)-2:], uint16(p))
	var got []filesystem.Entry
	if _, err := v.dataBlockEntries(in, b, func(e filesystem.Entry) bool { got = append(got, e); return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "abc" || got[0].Ino != 4242 {
		t.Fatalf("got %+v", got)
	}
}
