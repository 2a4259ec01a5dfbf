package ext4

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/uimport/uimport/filesystem"
)

func testVolume() *Volume {
	sb := &superblock{blockSize: 1024, inodesCount: 100, blocksCount: 1000, incompat: incompatFiletype, inodeSize: 256}
	return &Volume{sb: sb}
}

// dirent encodes one directory entry.
func dirent(ino uint32, recLen uint16, name string, typ uint8) []byte {
	b := make([]byte, recLen)
	binary.LittleEndian.PutUint32(b, ino)
	binary.LittleEndian.PutUint16(b[4:], recLen)
	b[6], b[7] = uint8(len(name)), typ
	copy(b[8:], name)
	return b
}

func names(t *testing.T, v *Volume, block []byte) ([]string, error) {
	t.Helper()
	var out []string
	_, err := v.parseDirBlock(block, func(name []byte, ino uint64, _ uint8) bool {
		out = append(out, string(name))
		return true
	})
	return out, err
}

func TestParseDirBlockRejectsBadRecords(t *testing.T) {
	v := testVolume()
	good := append(dirent(11, 12, "a", 1), dirent(12, 20, "bb", 2)...)
	if got, err := names(t, v, good); err != nil || len(got) != 2 {
		t.Fatalf("good block: %v, %v", got, err)
	}
	for name, block := range map[string][]byte{
		"rec_len 0":          append(dirent(11, 12, "a", 1), 0, 0, 0, 0, 0, 0, 0, 0),
		"rec_len past block": append(dirent(11, 12, "a", 1), dirent(12, 20, "b", 1)[:12]...),
		"rec_len odd":        {11, 0, 0, 0, 10, 0, 1, 1, 'a', 0},
		"name past record":   dirent(11, 12, "abcdefghij", 1),
		"inode out of range": dirent(1000, 12, "a", 1),
		"header cut":         {11, 0, 0, 0},
	} {
		if _, err := names(t, v, block); !errors.As(err, new(*filesystem.CorruptError)) {
			t.Errorf("%s: err %v, want corrupt", name, err)
		}
	}
}

func TestRecLen64K(t *testing.T) {
	v := testVolume()
	v.sb.blockSize = 65536
	for raw, want := range map[uint16]int{0: 65536, 65535: 65536, 12: 12, 65532: 65532, 65533: 65532 | 1<<16} {
		if got := v.recLen(raw); got != want {
			t.Errorf("recLen(%d) = %d, want %d", raw, got, want)
		}
	}
}

func extentNode(magic, entries, maxEntries, depth uint16, size int) []byte {
	b := make([]byte, size)
	binary.LittleEndian.PutUint16(b, magic)
	binary.LittleEndian.PutUint16(b[2:], entries)
	binary.LittleEndian.PutUint16(b[4:], maxEntries)
	binary.LittleEndian.PutUint16(b[6:], depth)
	return b
}

func TestExtentHeaderBounds(t *testing.T) {
	if _, err := parseExtentHeader(extentNode(extentMagic, 4, 4, 1, 60)); err != nil {
		t.Errorf("root with 4 of 4 entries: %v", err)
	}
	for name, node := range map[string][]byte{
		"bad magic":             extentNode(0x1234, 1, 4, 0, 60),
		"more entries than max": extentNode(extentMagic, 5, 4, 0, 60),
		"max over node size":    extentNode(extentMagic, 1, 5, 0, 60),
		"depth 6":               extentNode(extentMagic, 1, 4, 6, 60),
		"too short":             extentNode(extentMagic, 0, 0, 0, 12)[:8],
	} {
		if _, err := parseExtentHeader(node); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestExtentBeyondFileSystem(t *testing.T) {
	v := testVolume()
	root := extentNode(extentMagic, 1, 4, 0, 60)
	e := root[12:]
	binary.LittleEndian.PutUint32(e, 0)      // logical 0
	binary.LittleEndian.PutUint16(e[4:], 10) // 10 blocks
	binary.LittleEndian.PutUint32(e[8:], 995)
	if _, err := v.mapExtent(root, 0); !errors.As(err, new(*filesystem.CorruptError)) {
		t.Errorf("extent past the last block: %v", err)
	}
	binary.LittleEndian.PutUint16(e[4:], 0)
	if _, err := v.mapExtent(root, 0); err == nil {
		t.Error("empty extent accepted")
	}
	// A hole before the first extent ends where it starts.
	binary.LittleEndian.PutUint32(e, 50)
	binary.LittleEndian.PutUint16(e[4:], 5)
	binary.LittleEndian.PutUint32(e[8:], 100)
	if r, err := v.mapExtent(root, 10); err != nil || r.kind != runHole || r.length != 40 {
		t.Errorf("hole: %+v, %v", r, err)
	}
	if r, err := v.mapExtent(root, 52); err != nil || r.kind != runData || r.phys != 102 || r.length != 3 {
		t.Errorf("data: %+v, %v", r, err)
	}
}

// TestInlineDirInXattr reads an inline directory whose entries continue
// in the system.data attribute, which mke2fs -d never writes (it turns a
// full inline directory into a block instead) but the kernel does.
func TestInlineDirInXattr(t *testing.T) {
	v := testVolume()
	raw := make([]byte, 256)
	le := binary.LittleEndian
	le.PutUint16(raw[0:], modeDir|0o755)
	le.PutUint32(raw[0x20:], flagInlineData)
	le.PutUint16(raw[0x80:], 32) // i_extra_isize
	iblock := raw[0x28:0x64]
	le.PutUint32(iblock, 2) // parent
	copy(iblock[4:], dirent(11, 56, "in-iblock", 1))
	// Extended attributes after the extra fields: magic, one entry, value.
	x := raw[128+32:]
	le.PutUint32(x, xattrMagic)
	entry := x[4:]
	entry[0], entry[1] = 4, xattrIndexSys
	value := dirent(12, 32, "in-xattr-value", 2)
	le.PutUint16(entry[2:], 24) // value offset from the first entry
	le.PutUint32(entry[8:], uint32(len(value)))
	copy(entry[16:], "data")
	copy(x[4+24:], value)
	in := v.parseInode(20, raw)
	le.PutUint32(raw[0x4:], uint32(60+len(value)))
	in.Size = uint64(60 + len(value))

	var got []string
	err := v.eachEntry(in, func(name []byte, ino uint64, typ uint8) bool {
		got = append(got, string(name))
		return true
	})
	if err != nil || len(got) != 2 || got[0] != "in-iblock" || got[1] != "in-xattr-value" {
		t.Errorf("entries %q, %v", got, err)
	}
	// A value claimed past the inode is corrupt, not a panic.
	le.PutUint32(entry[8:], 200)
	if err := v.eachEntry(in, func([]byte, uint64, uint8) bool { return true }); err == nil {
		t.Error("value past the inode accepted")
	}
}
