package xfs

import (
	"encoding/binary"

	"github.com/uimport/uimport/filesystem"
)

// symlinkHdrV5 is the header of each remote symlink block on v5 file
// systems: magic "XSLM", offset, bytes, crc, uuid, owner, blkno, lsn.
const symlinkHdrV5 = 56

// readLink returns a symlink's target: inline in the inode (local) or in
// remote blocks (extents).
func (v *Volume) readLink(in *Inode) (string, error) {
	if in.Size <= 0 || in.Size > filesystem.MaxLinkLen {
		return "", corruptf("symlink inode %d: target of %d bytes", in.Ino, in.Size)
	}
	size := int(in.Size)
	switch in.Format {
	case fmtLocal:
		if size > len(in.fork) {
			return "", corruptf("symlink inode %d: %d-byte target in a %d-byte fork", in.Ino, size, len(in.fork))
		}
		return string(in.fork[:size]), nil
	case fmtExtents, fmtBtree:
	default:
		return "", corruptf("symlink inode %d: data fork format %d", in.Ino, in.Format)
	}
	ext, err := v.extents(in)
	if err != nil {
		return "", err
	}
	target := make([]byte, 0, size)
	be := binary.BigEndian
	for _, e := range ext {
		for k := uint64(0); k < e.count && len(target) < size; k++ {
			b, err := v.blocks(e.blk+k, 1)
			if err != nil {
				return "", err
			}
			if !v.sb.isV5() {
				target = append(target, b[:min(len(b), size-len(target))]...)
				continue
			}
			if string(b[:4]) != "XSLM" {
				return "", corruptf("symlink inode %d: remote block without XSLM magic", in.Ino)
			}
			off, n := int(be.Uint32(b[4:])), int(be.Uint32(b[8:]))
			if off != len(target) || n > len(b)-symlinkHdrV5 || n > size-len(target) {
				return "", corruptf("symlink inode %d: remote block holds %d bytes at %d", in.Ino, n, off)
			}
			if be.Uint64(b[32:]) != in.Ino {
				return "", corruptf("symlink inode %d: remote block owned by inode %d", in.Ino, be.Uint64(b[32:]))
			}
			target = append(target, b[symlinkHdrV5:symlinkHdrV5+n]...)
		}
	}
	if len(target) != size {
		return "", corruptf("symlink inode %d: %d of %d target bytes mapped", in.Ino, len(target), size)
	}
	return string(target), nil
}
