package diskimage

import (
	"encoding/binary"
)

// l2Table returns the file offset of the L2 table for L1 index i, 0 when
// that part of the disk has none (reads as zeros).
func (q *qcow2) l2Table(i int64) (int64, error) {
	b, err := q.f.entry("L1 table", q.l1Off, q.l1Len, i, 8)
	if err != nil {
		return 0, err
	}
	off := int64(binary.BigEndian.Uint64(b) & q2OffsetMask)
	if off%q.clusterSize != 0 {
		return 0, corrupt(q.f.format, "L1 entry %d points to an L2 table at 0x%x, which is not cluster-aligned", i, off)
	}
	return off, nil
}

// l2Entry returns guest cluster c's L2 entry and, with extended L2, its
// subcluster bitmap.
func (q *qcow2) l2Entry(c int64) (entry, bitmap uint64, err error) {
	l2Off, err := q.l2Table(c / q.l2Entries)
	if err != nil || l2Off == 0 {
		return 0, 0, err
	}
	b, err := q.f.entry("L2 table", l2Off, q.clusterSize, c%q.l2Entries, q.l2Width)
	if err != nil {
		return 0, 0, err
	}
	entry = binary.BigEndian.Uint64(b)
	if q.extendedL2 {
		bitmap = binary.BigEndian.Uint64(b[8:])
	}
	return entry, bitmap, nil
}

// mapping says where guest bytes [off, off+n) come from; the piece ends
// at the cluster's end, or with extended L2 at the subcluster's end.
func (q *qcow2) mapping(off, n int64) (piece, error) {
	c, in := off>>q.clusterBits, off&(q.clusterSize-1)
	n = min(n, q.clusterSize-in)
	entry, bitmap, err := q.l2Entry(c)
	if err != nil {
		return piece{}, err
	}
	if entry&q2EntryCompressed != 0 {
		return piece{kind: pieceCompressed, n: n, entry: entry, in: in}, nil
	}
	base := int64(entry & q2OffsetMask)
	if base%q.clusterSize != 0 {
		return piece{}, corrupt(q.f.format, "the L2 entry for guest offset 0x%x points to 0x%x, which is not cluster-aligned", c<<q.clusterBits, base)
	}
	if !q.extendedL2 {
		if entry&q2EntryZero != 0 || base == 0 {
			return piece{kind: pieceZeros, n: n}, nil
		}
		return piece{kind: pieceData, host: base + in, n: n}, nil
	}
	// Extended L2: 32 subclusters, bit s of the bitmap "allocated", bit
	// 32+s "reads as zeros".
	subBits := q.clusterBits - 5
	s := uint(in >> subBits)
	n = min(n, int64(s+1)<<subBits-in)
	alloc, zeros := bitmap>>s&1 != 0, bitmap>>(32+s)&1 != 0
	switch {
	case alloc && (zeros || base == 0):
		return piece{}, corrupt(q.f.format, "the subcluster bitmap for guest offset 0x%x is invalid (0x%x)", c<<q.clusterBits, bitmap)
	case alloc:
		return piece{kind: pieceData, host: base + in, n: n}, nil
	}
	return piece{kind: pieceZeros, n: n}, nil
}

func (q *qcow2) readAt(p []byte, off int64) error { return readPieces(q.f, q, p, off) }

// readCompressed fills p from offset pc.in of the compressed cluster
// pc.entry describes, decompressing it (or taking it from the cache).
func (q *qcow2) readCompressed(p []byte, pc piece) error {
	q.seen.Store(true)
	entry, in := pc.entry&(1<<62-1), pc.in
	coff := int64(entry & (1<<q.csizeShift - 1))
	sectors := int64(entry>>q.csizeShift&(1<<(q.clusterBits-8)-1)) + 1
	csize := sectors*512 - coff&511
	key := blockKey{off: coff, n: int(csize)}
	cluster, ok := q.clusters.get(key)
	if !ok {
		if coff >= q.f.size {
			return corrupt(q.f.format, "a compressed cluster at 0x%x lies past the end of the file (0x%x bytes)", coff, q.f.size)
		}
		src := make([]byte, min(csize, q.f.size-coff))
		if err := q.f.readFull(src, coff); err != nil {
			return err
		}
		cluster = make([]byte, q.clusterSize)
		decompress, name := inflateRaw, "deflate"
		if q.zstd {
			decompress, name = unzstd, "zstd"
		}
		if !decompress(cluster, src) {
			return corrupt(q.f.format, "the %s-compressed cluster at 0x%x (%d bytes) does not decompress to %d bytes", name, coff, len(src), q.clusterSize)
		}
		q.clusters.put(key, cluster)
	}
	copy(p, cluster[in:])
	return nil
}
