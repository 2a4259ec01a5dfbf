package xfs

import (
	"encoding/binary"
	"errors"
	"io"
	"sort"
)

// maxExtents bounds the extent map of one file (32 bytes each in memory).
const maxExtents = 1 << 19

// extent maps count blocks of a file, from logical block off on, to the
// linear device blocks from blk on.
type extent struct {
	off, blk, count uint64
	unwritten       bool
}

// fsbToLinear turns a file system block number (AG number and AG block
// packed by sb_agblklog) into a linear block number on the device.
func (v *Volume) fsbToLinear(fsb uint64) (uint64, error) {
	agno := fsb >> v.sb.agBlkLog
	agbno := fsb & (1<<v.sb.agBlkLog - 1)
	if agno >= uint64(v.sb.agCount) || agbno >= uint64(v.sb.agBlocks) {
		return 0, corruptf("block %#x outside the allocation groups", fsb)
	}
	lin := agno*uint64(v.sb.agBlocks) + agbno
	if lin >= v.sb.dblocks {
		return 0, corruptf("block %#x beyond the end of the file system", fsb)
	}
	return lin, nil
}

// decodeExtent unpacks one 128-bit bmbt record: flag(1) startoff(54)
// startblock(52) blockcount(21).
func (v *Volume) decodeExtent(rec []byte) (extent, error) {
	l0 := binary.BigEndian.Uint64(rec)
	l1 := binary.BigEndian.Uint64(rec[8:])
	e := extent{
		unwritten: l0>>63 != 0,
		off:       (l0 & (1<<63 - 1)) >> 9,
		count:     l1 & (1<<21 - 1),
	}
	fsb := (l0&0x1ff)<<43 | l1>>21
	if e.count == 0 {
		return e, corruptf("extent of zero blocks")
	}
	// Byte offsets in the file must fit an int64.
	if e.off+e.count > uint64(1)<<(63-v.sb.blockLog) {
		return e, corruptf("extent at file block %d beyond the largest file", e.off)
	}
	lin, err := v.fsbToLinear(fsb)
	if err != nil {
		return e, err
	}
	if e.count > v.sb.dblocks-lin {
		return e, corruptf("extent of %d blocks at %#x runs past the end", e.count, fsb)
	}
	e.blk = lin
	return e, nil
}

// appendExtents decodes n packed records from b onto list, keeping the
// list ordered and free of overlaps.
func (v *Volume) appendExtents(list []extent, b []byte, n int) ([]extent, error) {
	if n*16 > len(b) {
		return list, corruptf("%d extent records in %d bytes", n, len(b))
	}
	if len(list)+n > maxExtents {
		return list, corruptf("more than %d extents in one file", maxExtents)
	}
	for i := 0; i < n; i++ {
		e, err := v.decodeExtent(b[i*16:])
		if err != nil {
			return list, err
		}
		if k := len(list); k > 0 && e.off < list[k-1].off+list[k-1].count {
			return list, corruptf("extents out of order or overlapping at file block %d", e.off)
		}
		list = append(list, e)
	}
	return list, nil
}

// extents returns the data fork's extent map (empty for local or device
// inodes).
func (v *Volume) extents(in *Inode) ([]extent, error) {
	switch in.Format {
	case fmtExtents:
		if in.Extents > uint64(len(in.fork)/16) {
			return nil, corruptf("inode %d: %d extents in a %d-byte fork", in.Ino, in.Extents, len(in.fork))
		}
		return v.appendExtents(nil, in.fork, int(in.Extents))
	case fmtBtree:
		return v.btreeExtents(in)
	}
	return nil, corruptf("inode %d: data fork format %d has no extents", in.Ino, in.Format)
}

// fileReader reads a file through its extent map: holes and unwritten
// extents read as zeros, and runs of physically contiguous extents are
// read with one ReadAt (the device may be remote).
type fileReader struct {
	v    *Volume
	ext  []extent
	size int64
}

var _ io.ReaderAt = (*fileReader)(nil)

func (f *fileReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("xfs: negative offset")
	}
	if off >= f.size {
		return 0, io.EOF
	}
	want := len(p)
	if int64(want) > f.size-off {
		p = p[:f.size-off]
	}
	bs := uint64(f.v.sb.blockSize)
	done := 0
	for done < len(p) {
		pos := uint64(off) + uint64(done)
		lblk := pos / bs
		// First extent ending after lblk.
		i := sort.Search(len(f.ext), func(i int) bool { return f.ext[i].off+f.ext[i].count > lblk })
		if i == len(f.ext) || f.ext[i].off > lblk {
			// A hole up to the next extent (or the end).
			end := uint64(len(p) - done)
			if i < len(f.ext) {
				end = min(end, f.ext[i].off*bs-pos)
			}
			clear(p[done : done+int(end)])
			done += int(end)
			continue
		}
		e := f.ext[i]
		n := min(uint64(len(p)-done), (e.off+e.count)*bs-pos)
		if e.unwritten {
			clear(p[done : done+int(n)])
			done += int(n)
			continue
		}
		// Grow the read over following extents that continue it on disk.
		for j := i + 1; j < len(f.ext) && uint64(done)+n < uint64(len(p)); j++ {
			prev, next := f.ext[j-1], f.ext[j]
			if next.unwritten || next.off != prev.off+prev.count || next.blk != prev.blk+prev.count {
				break
			}
			n = min(uint64(len(p)-done), (next.off+next.count)*bs-pos)
		}
		phys := (e.blk+(lblk-e.off))*bs + pos%bs
		if err := f.v.dev.readAt(p[done:done+int(n)], int64(phys)); err != nil {
			return done, err
		}
		done += int(n)
	}
	if done < want {
		return done, io.EOF
	}
	return done, nil
}
