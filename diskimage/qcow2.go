package diskimage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/uimport/uimport/imageformat"
)

// qcow2 header layout (big-endian), from QEMU's docs/interop/qcow2.txt.
const (
	q2BackingOffset = 8
	q2BackingSize   = 16
	q2ClusterBits   = 20
	q2Size          = 24
	q2CryptMethod   = 32
	q2L1Size        = 36
	q2L1Offset      = 40
	q2V2HeaderLen   = 72
	q2Incompatible  = 72
	q2HeaderLength  = 100
	q2Compression   = 104
	q2V3MinHeader   = 104

	q2IncompatDataFile    = 1 << 2
	q2IncompatCompression = 1 << 3
	q2IncompatExtendedL2  = 1 << 4
	q2IncompatKnown       = 1<<5 - 1

	q2ExtEnd      = 0
	q2ExtDataFile = 0x44415441

	q2MaxL1Bytes      = 32 << 20 // QEMU's QCOW_MAX_L1_SIZE
	q2MaxBackingName  = 1023     // QEMU refuses longer names
	q2OffsetMask      = 0x00fffffffffffe00
	q2EntryCompressed = 1 << 62
	q2EntryZero       = 1
)

type qcow2 struct {
	f           *file
	clusterBits uint
	clusterSize int64
	l1Off       int64
	l1Len       int64 // bytes
	l2Width     int   // bytes per L2 entry: 8, or 16 with extended L2
	l2Entries   int64
	extendedL2  bool
	zstd        bool
	csizeShift  uint // compressed cluster descriptor: where the sector count starts
	clusters    *lru // decompressed clusters, keyed by their descriptor
	seen        *atomic.Bool
}

func openQcow2(r io.ReaderAt, size int64, head []byte) (*Disk, error) {
	const format = imageformat.QCOW2
	if len(head) < q2V2HeaderLen {
		return nil, corrupt(format, "the header is cut short (%d bytes): the file is truncated", len(head))
	}
	be32 := func(off int) uint32 { return binary.BigEndian.Uint32(head[off:]) }
	be64 := func(off int) uint64 { return binary.BigEndian.Uint64(head[off:]) }
	version := be32(4)
	if version != 2 && version != 3 {
		return nil, &UnsupportedError{Format: "qcow", Reason: fmt.Sprintf("qcow version %d cannot be read (only qcow2 v2 and v3)", version),
			Fix: "convert it: qemu-img convert -O qcow2 disk.img disk.qcow2"}
	}
	q := &qcow2{f: newFile(r, size, format, head), clusterBits: uint(be32(q2ClusterBits)), seen: new(atomic.Bool)}
	if q.clusterBits < 9 || q.clusterBits > 21 {
		return nil, corrupt(format, "cluster_bits is %d (valid: 9 to 21)", q.clusterBits)
	}
	q.clusterSize = 1 << q.clusterBits
	headerLen, incompat := q2V2HeaderLen, uint64(0)
	if version == 3 {
		if len(head) < q2V3MinHeader {
			return nil, corrupt(format, "the v3 header is cut short (%d bytes): the file is truncated", len(head))
		}
		incompat, headerLen = be64(q2Incompatible), int(be32(q2HeaderLength))
		if headerLen < q2V3MinHeader || int64(headerLen) > q.clusterSize || headerLen > len(head) {
			return nil, corrupt(format, "header_length is %d", headerLen)
		}
	}
	if unknown := incompat &^ q2IncompatKnown; unknown != 0 {
		return nil, &UnsupportedError{Format: format, Reason: fmt.Sprintf("the qcow2 uses incompatible features this reader does not know (0x%x)", unknown),
			Fix: "convert it with a recent qemu-img: qemu-img convert -O qcow2 disk.qcow2 plain.qcow2"}
	}
	if incompat&q2IncompatCompression != 0 {
		if headerLen <= q2Compression {
			return nil, corrupt(format, "the compression type bit is set but the header (%d bytes) has no compression type", headerLen)
		}
		switch head[q2Compression] {
		case 0:
		case 1:
			q.zstd = true
		default:
			return nil, &UnsupportedError{Format: format, Reason: fmt.Sprintf("the qcow2 uses unknown compression type %d", head[q2Compression])}
		}
	}
	q.extendedL2 = incompat&q2IncompatExtendedL2 != 0
	if q.extendedL2 && q.clusterBits < 14 {
		return nil, corrupt(format, "extended L2 entries need clusters of at least 16 KiB, not %d bytes", q.clusterSize)
	}
	q.l2Width = 8
	if q.extendedL2 {
		q.l2Width = 16
	}
	q.l2Entries = q.clusterSize / int64(q.l2Width)
	q.csizeShift = 62 - (q.clusterBits - 8)

	vsize := be64(q2Size)
	l1Entries, l1Off := uint64(be32(q2L1Size)), be64(q2L1Offset)
	span := uint64(q.l2Entries) << q.clusterBits // guest bytes per L1 entry
	if need := vsize/span + min(1, vsize%span); l1Entries < need {
		return nil, corrupt(format, "the L1 table has %d entries but the virtual size (%d bytes) needs %d", l1Entries, vsize, need)
	}
	if l1Entries*8 > q2MaxL1Bytes {
		return nil, corrupt(format, "the L1 table has %d entries (at most %d)", l1Entries, q2MaxL1Bytes/8)
	}
	if l1Off%uint64(q.clusterSize) != 0 || !q.f.within(int64(min(l1Off, 1<<62)), int64(l1Entries*8)) {
		return nil, corrupt(format, "the L1 table at 0x%x (%d entries) is misaligned or lies past the end of the file (0x%x bytes)", l1Off, l1Entries, size)
	}
	q.l1Off, q.l1Len = int64(l1Off), int64(l1Entries*8)
	q.clusters = newLRU(64, int(max(8<<20, 2*q.clusterSize)))

	info := Info{Format: format, Subformat: fmt.Sprintf("qcow2 v%d", version), VirtualSize: int64(vsize), Allocated: min(size, int64(vsize))}
	var why []error
	if name, err := q.backingName(head, be64(q2BackingOffset), be32(q2BackingSize)); err != nil {
		return nil, err
	} else if name != "" {
		info.BackingFile = name
		why = append(why, fmt.Errorf("%w (%s)", ErrBackingFile, name))
	}
	dataFile, err := q.extensions(head, headerLen, be64(q2BackingOffset))
	if err != nil {
		return nil, err
	}
	if incompat&q2IncompatDataFile != 0 {
		info.DataFile = dataFile
		if dataFile == "" {
			info.DataFile = "(unnamed)"
		}
		why = append(why, fmt.Errorf("%w (%s)", ErrDataFile, info.DataFile))
	}
	if m := be32(q2CryptMethod); m != 0 {
		info.Encrypted = true
		why = append(why, fmt.Errorf("%w (%s)", ErrEncrypted, map[uint32]string{1: "AES", 2: "LUKS"}[m]))
	}
	d := &Disk{info: info, read: q.readAt, compressedSeen: q.seen}
	if len(why) > 0 {
		d.err = errors.Join(why...)
		return d, d.err
	}
	if err := q.scanFirstL2(); err != nil {
		return nil, err
	}
	return d, nil
}

// backingName reads the backing file name, "" when there is none.
func (q *qcow2) backingName(head []byte, off uint64, n uint32) (string, error) {
	if off == 0 {
		return "", nil
	}
	if n == 0 || n > q2MaxBackingName || off > uint64(q.clusterSize) {
		return "", corrupt(q.f.format, "the backing file name at 0x%x (%d bytes) is out of bounds", off, n)
	}
	if off+uint64(n) <= uint64(len(head)) {
		return printable(head[off : off+uint64(n)]), nil
	}
	name, err := q.f.block("backing file name", int64(off), int(n))
	if err != nil {
		return "", err
	}
	return printable(name), nil
}

// extensions walks the header extensions for the external data file name.
// They end at the backing file name, or at the end of the first cluster.
func (q *qcow2) extensions(head []byte, pos int, backingOff uint64) (string, error) {
	end := int(min(int64(len(head)), q.clusterSize))
	if backingOff != 0 && backingOff < uint64(end) {
		end = int(backingOff)
	}
	dataFile := ""
	for pos+8 <= end {
		typ, n := binary.BigEndian.Uint32(head[pos:]), int64(binary.BigEndian.Uint32(head[pos+4:]))
		pos += 8
		if typ == q2ExtEnd {
			break
		}
		if n > int64(end-pos) {
			return "", corrupt(q.f.format, "header extension 0x%x (%d bytes) runs past the header", typ, n)
		}
		if typ == q2ExtDataFile {
			dataFile = printable(head[pos : pos+int(n)])
		}
		pos += int((n + 7) &^ 7)
	}
	return dataFile, nil
}

// scanFirstL2 reads the first block of the first L2 table, which any
// inspection needs anyway (it maps the partition table), to report
// compressed clusters without reading every table.
func (q *qcow2) scanFirstL2() error {
	l2Off, err := q.l2Table(0)
	if err != nil || l2Off == 0 {
		return err
	}
	n := min(q.clusterSize, tableBlock)
	table, err := q.f.block("L2 table", l2Off, int(n))
	if err != nil {
		return err
	}
	for i := 0; i+8 <= len(table); i += q.l2Width {
		if binary.BigEndian.Uint64(table[i:])&q2EntryCompressed != 0 {
			q.seen.Store(true)
			break
		}
	}
	return nil
}
