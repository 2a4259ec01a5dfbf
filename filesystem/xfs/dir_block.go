package xfs

import (
	"encoding/binary"
	"io/fs"

	"github.com/uimport/uimport/filesystem"
)

// Directory data lives below this logical byte offset; leaf and free-index
// blocks above it are only indexes of the same entries.
const dirLeafOffset = 32 << 30

// maxDirBytes bounds the directory data one listing or lookup reads.
const maxDirBytes = 64 << 20

// Data block header sizes: magic and bestfree[3] (v4); a 48-byte
// self-describing header, bestfree[3] and padding (v5).
const (
	dataHdrV4 = 16
	dataHdrV5 = 64
)

// blockDirs lists a directory kept in directory blocks (block, leaf, node
// or btree form): every data block in the logical range below
// dirLeafOffset holds entries.
func (v *Volume) blockDirs(in *Inode, visit func(filesystem.Entry) bool) error {
	ext, err := v.extents(in)
	if err != nil {
		return err
	}
	bs := uint64(v.sb.blockSize)
	per := uint64(1) << v.sb.dirBlkLog // file system blocks per directory block
	limit := uint64(dirLeafOffset) / bs
	read := uint64(0)
	next := uint64(0) // first logical block not yet listed
	for _, e := range ext {
		if e.off >= limit {
			break
		}
		start := max(e.off/per*per, next)
		for lb := start; lb < e.off+e.count && lb < limit; lb += per {
			read += per * bs
			if read > maxDirBytes {
				return corruptf("directory inode %d holds more than %d bytes of entries", in.Ino, maxDirBytes)
			}
			// Warm the cache with the rest of the extent in one read: the
			// device may be remote.
			if phys := e.blk + (lb - e.off); lb >= e.off && v.cache.get(phys) == nil {
				n := min(e.off+e.count-lb, uint64(maxMetaBlocks(int(bs))))
				if _, err := v.blocks(phys, int(n)); err != nil {
					return err
				}
			}
			b, err := v.dirBlock(ext, lb, int(per))
			if err != nil {
				return err
			}
			more, err := v.dataBlockEntries(in, b, visit)
			if err != nil || !more {
				return err
			}
			next = lb + per
		}
	}
	return nil
}

// dirBlock reads the directory block at logical block lb, whose per file
// system blocks may be spread over several extents.
func (v *Volume) dirBlock(ext []extent, lb uint64, per int) ([]byte, error) {
	var out []byte
	for k := 0; k < per; {
		want := lb + uint64(k)
		i := findExtent(ext, want)
		if i < 0 || ext[i].unwritten {
			return nil, corruptf("directory block %d is not fully mapped", lb)
		}
		e := ext[i]
		n := min(uint64(per-k), e.off+e.count-want)
		b, err := v.blocks(e.blk+(want-e.off), int(n))
		if err != nil {
			return nil, err
		}
		if per == 1 {
			return b, nil
		}
		out = append(out, b...)
		k += int(n)
	}
	return out, nil
}

// findExtent returns the index of the extent mapping logical block lb, or -1.
func findExtent(ext []extent, lb uint64) int {
	lo, hi := 0, len(ext)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ext[m].off+ext[m].count <= lb {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ext) && ext[lo].off <= lb {
		return lo
	}
	return -1
}

// dataBlockEntries walks the entries of one data block (XD2B/XDB3 holding
// the whole directory, or XD2D/XDD3). It reports whether to go on.
func (v *Volume) dataBlockEntries(in *Inode, b []byte, visit func(filesystem.Entry) bool) (bool, error) {
	be := binary.BigEndian
	hdr, blockMagic, dataMagic := dataHdrV4, "XD2B", "XD2D"
	if v.sb.isV5() {
		hdr, blockMagic, dataMagic = dataHdrV5, "XDB3", "XDD3"
	}
	end := len(b)
	switch string(b[:4]) {
	case dataMagic:
	case blockMagic:
		// The single block ends with its hash leaf entries (8 bytes each)
		// and a tail holding their count and the stale count.
		count := uint64(be.Uint32(b[end-8:]))
		if count > uint64(end-8-hdr)/8 {
			return false, corruptf("directory inode %d: block leaf of %d entries", in.Ino, count)
		}
		end -= 8 + int(count)*8
	default:
		return false, corruptf("directory inode %d: data block with bad magic %q", in.Ino, b[:4])
	}
	if v.sb.isV5() && be.Uint64(b[40:]) != in.Ino {
		return false, corruptf("directory inode %d: data block owned by inode %d", in.Ino, be.Uint64(b[40:]))
	}
	ftype := v.sb.hasFType()
	for p := hdr; p < end; {
		if end-p < 8 {
			return false, corruptf("directory inode %d: data entry truncated", in.Ino)
		}
		if be.Uint16(b[p:]) == 0xffff { // free space: freetag, length, ..., tag
			n := int(be.Uint16(b[p+2:]))
			if n < 8 || n%8 != 0 || n > end-p || int(be.Uint16(b[p+n-2:])) != p {
				return false, corruptf("directory inode %d: free space of %d bytes at %d", in.Ino, n, p)
			}
			p += n
			continue
		}
		// inumber(8) namelen(1) name [ftype(1)] padding tag(2), 8-aligned:
		// at least 16 bytes.
		if end-p < 16 {
			return false, corruptf("directory inode %d: data entry truncated", in.Ino)
		}
		nameLen := int(b[p+8])
		size := 8 + 1 + nameLen + 2
		if ftype {
			size++
		}
		size = (size + 7) &^ 7
		if nameLen == 0 || size > end-p {
			return false, corruptf("directory inode %d: entry of %d bytes overruns its block", in.Ino, size)
		}
		// Each entry ends with its own offset: a misparse shows here.
		if int(be.Uint16(b[p+size-2:])) != p {
			return false, corruptf("directory inode %d: entry at %d has a wrong tag", in.Ino, p)
		}
		name := string(b[p+9 : p+9+nameLen])
		typ := fs.ModeIrregular
		if ftype {
			typ = filesystem.DirentType(b[p+9+nameLen])
		}
		ino := be.Uint64(b[p:])
		p += size
		if name == "." || name == ".." {
			continue
		}
		if !visit(filesystem.Entry{Name: name, Ino: ino, Type: typ}) {
			return false, nil
		}
	}
	return true, nil
}
