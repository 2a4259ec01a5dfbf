package ext4

import (
	"encoding/binary"
	"errors"

	"github.com/uimport/uimport/filesystem"
)

// Directories are read linearly, block after block: an htree (dir_index)
// directory keeps its index in entries that look empty to such a reader,
// which is what makes htree backward compatible.

// maxDirBytes bounds how much of one directory is read; 64 Ki entries
// with 40-byte names take about 3 MiB.
const maxDirBytes = 16 << 20

// ErrEncrypted: the directory, file or link is encrypted (fscrypt) and
// cannot be read without its key.
var ErrEncrypted = errors.New("ext4: encrypted (fscrypt); its contents cannot be read without the key")

// entryVisitor sees one live entry; returning false stops the walk.
type entryVisitor func(name []byte, ino uint64, fileType uint8) bool

// eachEntry walks the entries of directory in. A corrupt block is skipped
// and reported once the walk ends, so one bad block does not hide the rest.
func (v *Volume) eachEntry(in *Inode, visit entryVisitor) error {
	if !in.isDir() {
		return corrupt("inode %d is not a directory", in.Ino)
	}
	if in.Flags&flagEncrypt != 0 {
		return ErrEncrypted
	}
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	if in.Flags&flagInlineData != 0 {
		regions, err := v.inlineDirRegions(in)
		if err != nil {
			return err
		}
		for _, r := range regions {
			stop, err := v.parseDirBlock(r, visit)
			keep(err)
			if stop {
				break
			}
		}
		return firstErr
	}
	bs := uint64(v.sb.blockSize)
	blocks := (in.Size + bs - 1) / bs
	truncated := false
	if blocks > maxDirBytes/bs {
		blocks, truncated = maxDirBytes/bs, true
	}
	for lblk := uint64(0); lblk < blocks; {
		r, err := v.mapBlock(in, lblk)
		if err != nil {
			keep(err)
			lblk++
			continue
		}
		count := min(r.length, blocks-lblk)
		if r.kind == runData {
			if v.cache.get(r.phys) == nil {
				_ = v.cache.load(r.phys, count) // a failure shows in block() below
			}
			for i := range count {
				b, err := v.cache.block(r.phys + i)
				if err != nil {
					keep(err)
					continue
				}
				stop, err := v.parseDirBlock(b, visit)
				keep(err)
				if stop {
					return firstErr
				}
			}
		}
		lblk += count
	}
	if truncated && firstErr == nil {
		return filesystem.ErrTooMany
	}
	return firstErr
}

// recLen decodes rec_len, which for 64 KiB blocks stores 65536 as 0 or
// 65535 and borrows its low bits (ext4_rec_len_from_disk).
func (v *Volume) recLen(raw uint16) int {
	if v.sb.blockSize < 65536 {
		return int(raw)
	}
	if raw == 65535 || raw == 0 {
		return 65536
	}
	return int(raw&65532) | int(raw&3)<<16
}

// parseDirBlock visits the entries in one directory block (or inline
// region). Every rec_len must be at least 8, a multiple of 4, hold its
// name and stay inside the block.
func (v *Volume) parseDirBlock(b []byte, visit entryVisitor) (stop bool, err error) {
	le := binary.LittleEndian
	hasType := v.sb.incompat&incompatFiletype != 0
	for off := 0; off < len(b); {
		if off+8 > len(b) {
			return false, corrupt("directory entry header past the block end")
		}
		ino := uint64(le.Uint32(b[off:]))
		recLen := v.recLen(le.Uint16(b[off+4:]))
		nameLen := int(b[off+6])
		fileType := b[off+7]
		if !hasType {
			fileType = 0
		}
		if recLen < 8 || recLen%4 != 0 || recLen > len(b)-off {
			return false, corrupt("directory entry with record length %d at %d", recLen, off)
		}
		if ino != 0 {
			switch {
			case 8+nameLen > recLen:
				err = corrupt("directory entry name of %d bytes in a %d-byte record", nameLen, recLen)
			case ino > uint64(v.sb.inodesCount):
				err = corrupt("directory entry for inode %d, beyond %d", ino, v.sb.inodesCount)
			case nameLen > 0 && !visit(b[off+8:off+8+nameLen], ino, fileType):
				return true, nil
			}
		}
		off += recLen
	}
	return false, err
}
