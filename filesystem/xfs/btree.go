package xfs

import "encoding/binary"

// Block map btree (bmbt) limits: Linux never builds one deeper than a
// handful of levels, and distinct blocks visited are bounded so that a
// btree whose pointers repeat cannot make the walk explode.
const (
	maxBtreeDepth  = 10
	maxBtreeBlocks = 1 << 16
)

// Long-format btree block headers: magic, level, numrecs, left and right
// siblings; v5 adds blkno, lsn, uuid, owner, crc and padding.
const (
	bmbtHdrV4 = 24
	bmbtHdrV5 = 72
)

type btreeWalk struct {
	v       *Volume
	in      *Inode
	ext     []extent
	visited map[uint64]bool
}

// btreeExtents collects the extents of a btree-format data fork, whose
// root (an xfs_bmdr_block) lives in the inode.
func (v *Volume) btreeExtents(in *Inode) ([]extent, error) {
	root := in.fork
	if len(root) < 4+16 {
		return nil, corruptf("inode %d: btree root in a %d-byte fork", in.Ino, len(root))
	}
	level := int(binary.BigEndian.Uint16(root))
	numrecs := int(binary.BigEndian.Uint16(root[2:]))
	maxrecs := (len(root) - 4) / 16
	if level < 1 || level > maxBtreeDepth {
		return nil, corruptf("inode %d: btree root level %d", in.Ino, level)
	}
	if numrecs < 1 || numrecs > maxrecs {
		return nil, corruptf("inode %d: btree root holds %d of at most %d records", in.Ino, numrecs, maxrecs)
	}
	w := &btreeWalk{v: v, in: in, visited: map[uint64]bool{}}
	ptrs := root[4+maxrecs*8:]
	for i := 0; i < numrecs; i++ {
		if err := w.walk(binary.BigEndian.Uint64(ptrs[i*8:]), level-1); err != nil {
			return nil, err
		}
	}
	return w.ext, nil
}

// walk visits the btree block at fsb, expected at level.
func (w *btreeWalk) walk(fsb uint64, level int) error {
	v := w.v
	blk, err := v.fsbToLinear(fsb)
	if err != nil {
		return err
	}
	if w.visited[blk] {
		return corruptf("inode %d: btree block %d reached twice", w.in.Ino, blk)
	}
	if len(w.visited) >= maxBtreeBlocks {
		return corruptf("inode %d: btree of more than %d blocks", w.in.Ino, maxBtreeBlocks)
	}
	w.visited[blk] = true
	b, err := v.blocks(blk, 1)
	if err != nil {
		return err
	}
	be := binary.BigEndian
	hdr, magic := bmbtHdrV4, "BMAP"
	if v.sb.isV5() {
		hdr, magic = bmbtHdrV5, "BMA3"
	}
	if string(b[:4]) != magic {
		return corruptf("inode %d: btree block %d: bad magic", w.in.Ino, blk)
	}
	if v.sb.isV5() && be.Uint64(b[56:]) != w.in.Ino {
		return corruptf("inode %d: btree block %d belongs to inode %d", w.in.Ino, blk, be.Uint64(b[56:]))
	}
	if got := int(be.Uint16(b[4:])); got != level {
		return corruptf("inode %d: btree block %d at level %d, want %d", w.in.Ino, blk, got, level)
	}
	numrecs := int(be.Uint16(b[6:]))
	maxrecs := (len(b) - hdr) / 16
	if numrecs > maxrecs {
		return corruptf("inode %d: btree block %d holds %d of at most %d records", w.in.Ino, blk, numrecs, maxrecs)
	}
	if level == 0 {
		w.ext, err = v.appendExtents(w.ext, b[hdr:], numrecs)
		return err
	}
	ptrs := b[hdr+maxrecs*8:]
	for i := 0; i < numrecs; i++ {
		if err := w.walk(be.Uint64(ptrs[i*8:]), level-1); err != nil {
			return err
		}
	}
	return nil
}
