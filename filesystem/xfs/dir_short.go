package xfs

import (
	"encoding/binary"
	"io/fs"

	"github.com/uimport/uimport/filesystem"
)

// shortformDir lists a directory stored inside its inode:
// count, i8count, parent inode (4 or 8 bytes), then per entry namelen,
// a 2-byte offset, the name, the file type (with ftype) and the inode
// number (8 bytes when i8count is set, else 4).
func (v *Volume) shortformDir(in *Inode, visit func(filesystem.Entry) bool) error {
	b := in.fork
	if in.Size < 6 || in.Size > int64(len(b)) {
		return corruptf("inode %d: short-form directory of %d bytes in a %d-byte fork", in.Ino, in.Size, len(b))
	}
	b = b[:in.Size]
	count, i8 := int(b[0]), b[1] != 0
	inoLen := 4
	if i8 {
		inoLen = 8 // any 64-bit number makes every number 8 bytes
	}
	p := 2 + inoLen
	if p > len(b) {
		return corruptf("inode %d: short-form directory header truncated", in.Ino)
	}
	ftype := v.sb.hasFType()
	for i := 0; i < count; i++ {
		if p+3 > len(b) {
			return corruptf("inode %d: short-form entry %d truncated", in.Ino, i)
		}
		nameLen := int(b[p])
		p += 3
		need := nameLen + inoLen
		if ftype {
			need++
		}
		if nameLen == 0 || p+need > len(b) {
			return corruptf("inode %d: short-form entry %d of %d bytes overruns the fork", in.Ino, i, need)
		}
		name := string(b[p : p+nameLen])
		p += nameLen
		typ := fs.ModeIrregular
		if ftype {
			typ = filesystem.DirentType(b[p])
			p++
		}
		var ino uint64
		if i8 {
			ino = binary.BigEndian.Uint64(b[p:])
		} else {
			ino = uint64(binary.BigEndian.Uint32(b[p:]))
		}
		p += inoLen
		if !visit(filesystem.Entry{Name: name, Ino: ino, Type: typ}) {
			return nil
		}
	}
	return nil
}
