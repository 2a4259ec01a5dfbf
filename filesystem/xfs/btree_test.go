package xfs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
)

// mkfs.xfs lays each protofile file out in one extent, so the btree test
// rewrites "big" in place: one extent per block (pairs swapped on disk, a
// hole, an unwritten block, a run of contiguous single-block extents),
// indexed by a bmbt whose leaves take the blocks of "filler". xfs_db
// walks the result to confirm it is a valid btree.

type rec struct {
	off, lin, count uint64
	unwritten       bool
}

const (
	holeBlock      = 5
	unwrittenBlock = 7
	// Blocks in [runStart, runEnd) map to themselves, one extent each, so
	// a read across them is one device read.
	runStart, runEnd = 100, 200
)

func craftBtree(t *testing.T, img string) (want []byte, recs []rec) {
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	fsys, v, err := OpenFS(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	orig, err := fsys.ReadFile("big")
	if err != nil {
		t.Fatal(err)
	}
	bigFI, _ := fsys.Lstat("big")
	fillFI, _ := fsys.Lstat("filler")
	big, filler := bigFI.Sys().(*Inode), fillFI.Sys().(*Inode)
	bigExt, err := v.extents(big)
	if err != nil || len(bigExt) != 1 {
		t.Fatalf("big: %v, %v", bigExt, err)
	}
	fillExt, err := v.extents(filler)
	if err != nil || len(fillExt) != 1 {
		t.Fatalf("filler: %v, %v", fillExt, err)
	}
	bs := uint64(v.sb.blockSize)
	nblocks := bigExt[0].count
	want = make([]byte, len(orig))
	for i := uint64(0); i < nblocks; i++ {
		phys := i
		if (i < runStart || i >= runEnd) && i^1 < nblocks {
			phys = i ^ 1
		}
		switch i {
		case holeBlock:
			continue
		case unwrittenBlock:
			recs = append(recs, rec{off: i, lin: bigExt[0].blk + phys, count: 1, unwritten: true})
			continue
		}
		recs = append(recs, rec{off: i, lin: bigExt[0].blk + phys, count: 1})
		src := orig[phys*bs : min((phys+1)*bs, uint64(len(orig)))]
		copy(want[i*bs:min((i+1)*bs, uint64(len(want)))], src)
	}
	be := binary.BigEndian
	fsb := func(lin uint64) uint64 {
		return (lin/uint64(v.sb.agBlocks))<<v.sb.agBlkLog | lin%uint64(v.sb.agBlocks)
	}
	hdr := bmbtHdrV4
	magic := "BMAP"
	if v.sb.isV5() {
		hdr, magic = bmbtHdrV5, "BMA3"
	}
	perLeaf := (int(bs) - hdr) / 16
	nleaves := (len(recs) + perLeaf - 1) / perLeaf
	if uint64(nleaves) > fillExt[0].count {
		t.Fatalf("%d leaves, %d filler blocks", nleaves, fillExt[0].count)
	}
	var keys []uint64
	for l := 0; l < nleaves; l++ {
		part := recs[l*perLeaf : min((l+1)*perLeaf, len(recs))]
		keys = append(keys, part[0].off)
		lin := fillExt[0].blk + uint64(l)
		b := make([]byte, bs)
		copy(b, magic)
		be.PutUint16(b[6:], uint16(len(part)))
		left, right := ^uint64(0), ^uint64(0)
		if l > 0 {
			left = fsb(lin - 1)
		}
		if l < nleaves-1 {
			right = fsb(lin + 1)
		}
		be.PutUint64(b[8:], left)
		be.PutUint64(b[16:], right)
		if v.sb.isV5() {
			be.PutUint64(b[24:], lin*bs/512)
			copy(b[40:], v.sb.uuid[:])
			be.PutUint64(b[56:], big.Ino)
		}
		for i, r := range part {
			l0 := r.off<<9 | fsb(r.lin)>>43
			if r.unwritten {
				l0 |= 1 << 63
			}
			be.PutUint64(b[hdr+i*16:], l0)
			be.PutUint64(b[hdr+i*16+8:], fsb(r.lin)<<21|r.count)
		}
		if v.sb.isV5() {
			putCRC(b, 64)
		}
		if _, err := f.WriteAt(b, int64(lin*bs)); err != nil {
			t.Fatal(err)
		}
	}
	// The inode: btree format, the root (level 1) in its data fork.
	iblk, ioff, err := v.inodeBlock(big.Ino)
	if err != nil {
		t.Fatal(err)
	}
	ib := make([]byte, v.sb.inodeSize)
	pos := int64(iblk*bs) + int64(ioff)
	if _, err := f.ReadAt(ib, pos); err != nil {
		t.Fatal(err)
	}
	core := 100
	if v.sb.isV5() {
		core = 176
	}
	fork := ib[core:]
	if ib[82] != 0 {
		fork = fork[:int(ib[82])*8]
	}
	clear(fork)
	ib[5] = fmtBtree
	be.PutUint32(ib[76:], uint32(len(recs)))
	be.PutUint64(ib[64:], uint64(len(recs))+uint64(nleaves))
	maxrecs := (len(fork) - 4) / 16
	if nleaves > maxrecs {
		t.Fatalf("%d leaves, root holds %d", nleaves, maxrecs)
	}
	be.PutUint16(fork, 1)
	be.PutUint16(fork[2:], uint16(nleaves))
	for i, k := range keys {
		be.PutUint64(fork[4+i*8:], k)
		be.PutUint64(fork[4+maxrecs*8+i*8:], fsb(fillExt[0].blk+uint64(i)))
	}
	if v.sb.isV5() {
		putCRC(ib, 100)
	}
	if _, err := f.WriteAt(ib, pos); err != nil {
		t.Fatal(err)
	}
	return want, recs
}

// countingReader counts ReadAt calls, to see reads coalesce.
type countingReader struct {
	r     io.ReaderAt
	calls atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.calls.Add(1)
	return c.r.ReadAt(p, off)
}

func TestBtreeFork(t *testing.T) {
	src := buildTree(t)
	for _, vt := range []variant{variants[0], variants[2]} {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			img := makeImage(t, src, vt)
			want, recs := craftBtree(t, img)

			// xfs_db must walk the same extents out of the crafted btree.
			fi, _ := os.Stat(img)
			f, _ := os.Open(img)
			defer f.Close()
			cr := &countingReader{r: f}
			fsys, v, err := OpenFS(cr, fi.Size())
			if err != nil {
				t.Fatal(err)
			}
			st, err := fsys.Lstat("big")
			if err != nil {
				t.Fatal(err)
			}
			in := st.Sys().(*Inode)
			if in.Format != fmtBtree {
				t.Fatalf("format %d", in.Format)
			}
			out := xfsDB(t, img, fmt.Sprintf("inode %d", in.Ino), "bmap")
			line := regexp.MustCompile(`data offset (\d+) startblock (\d+) \((\d+)/(\d+)\) count (\d+) flag (\d)`)
			got := line.FindAllStringSubmatch(out, -1)
			if len(got) != len(recs) {
				t.Fatalf("xfs_db bmap lists %d extents, crafted %d:\n%.2000s", len(got), len(recs), out)
			}
			for i, m := range got {
				off, _ := strconv.ParseUint(m[1], 10, 64)
				agno, _ := strconv.ParseUint(m[3], 10, 64)
				agbno, _ := strconv.ParseUint(m[4], 10, 64)
				if lin := agno*uint64(v.sb.agBlocks) + agbno; off != recs[i].off || lin != recs[i].lin || (m[6] == "1") != recs[i].unwritten {
					t.Fatalf("xfs_db extent %d = %v, crafted %+v", i, m[0], recs[i])
				}
			}
			ext, err := v.extents(in)
			if err != nil || len(ext) != len(recs) {
				t.Fatalf("reader: %d extents, %v", len(ext), err)
			}
			data, err := fsys.ReadFile("big")
			if err != nil || !bytes.Equal(data, want) {
				t.Fatalf("ReadFile(big): %d bytes, %v; equal %v", len(data), err, bytes.Equal(data, want))
			}
			// One device read for a hundred contiguous single-block extents.
			ra, err := v.Open(in.node())
			if err != nil {
				t.Fatal(err)
			}
			bs := int64(v.sb.blockSize)
			buf := make([]byte, (runEnd-runStart)*bs)
			before := cr.calls.Load()
			if _, err := ra.ReadAt(buf, runStart*bs); err != nil {
				t.Fatal(err)
			}
			if n := cr.calls.Load() - before; n != 1 || !bytes.Equal(buf, want[runStart*bs:runEnd*bs]) {
				t.Errorf("contiguous run read with %d device reads", n)
			}
			hostileBtree(t, f, fi.Size(), v, in)
		})
	}
}

// hostileBtree corrupts the crafted btree one field at a time.
func hostileBtree(t *testing.T, f *os.File, size int64, v *Volume, in *Inode) {
	bs := int64(v.sb.blockSize)
	iblk, ioff, _ := v.inodeBlock(in.Ino)
	inodeAt := int64(iblk)*bs + int64(ioff)
	core := int64(100)
	if v.sb.isV5() {
		core = 176
	}
	root := inodeAt + core
	maxrecs := int64(len(in.fork)-4) / 16
	ptr0 := binary.BigEndian.Uint64(in.fork[4+maxrecs*8:])
	leaf0, err := v.fsbToLinear(ptr0)
	if err != nil {
		t.Fatal(err)
	}
	leafAt := int64(leaf0) * bs
	cases := map[string]map[int64][]byte{
		"pointer repeated":      {root + 4 + maxrecs*8 + 8: be64(ptr0)},
		"root depth 11":         {root: be16(11)},
		"root records 0":        {root + 2: be16(0)},
		"root records too many": {root + 2: be16(uint16(maxrecs + 1))},
		"leaf at level 1":       {leafAt + 4: be16(1)},
		"leaf records too many": {leafAt + 6: be16(0xffff)},
		"leaf magic":            {leafAt: []byte("XXXX")},
		"pointer out of range":  {root + 4 + maxrecs*8: be64(1 << 50)},
	}
	hdr := int64(bmbtHdrV4)
	if v.sb.isV5() {
		hdr = bmbtHdrV5
		cases["leaf owner"] = map[int64][]byte{leafAt + 56: be64(in.Ino + 1)}
	}
	// The first record claims file block 1000; the next one is block 1.
	cases["extents out of order"] = map[int64][]byte{leafAt + hdr: be64(1000 << 9)}
	for name, patches := range cases {
		t.Run(name, func(t *testing.T) {
			hfs, _, err := OpenFS(overlay{r: f, patches: patches}, size)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := hfs.ReadFile("big"); !isCorrupt(err) {
				t.Fatalf("got %v, want a CorruptError", err)
			}
		})
	}
}
