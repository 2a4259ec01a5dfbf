package xfs

import (
	"encoding/binary"
	"errors"
)

// The log is read only to tell whether the file system was cleanly
// unmounted: a dirty log holds metadata changes this reader does not
// replay, so recently written files may be missing or stale.
const (
	logRecordMagic  = 0xFEEDBABE
	logUnmountTrans = 0x20 // op header flag of the unmount record
	// logScanSectors bounds the backward search for the last record
	// header: a record is at most 256 KiB plus its extended headers.
	logScanSectors = 2 * (256 << 10) / 512
)

// ErrExternalLog: the log is on another device, so its state is unknown.
var ErrExternalLog = errors.New("xfs: the log is on an external device")

// LogClean reports whether the internal log ends with an unmount record,
// as the kernel decides before recovery. It reads a few dozen sectors.
func (v *Volume) LogClean() (bool, error) {
	lr, err := v.logReader()
	if err != nil {
		return false, err
	}
	head, err := lr.findHead()
	if err != nil {
		return false, err
	}
	// The last record's header is the nearest one before the head.
	for i := int64(1); i <= min(logScanSectors, lr.sectors); i++ {
		bb := (head - i + lr.sectors) % lr.sectors
		s, err := lr.sector(bb)
		if err != nil {
			return false, err
		}
		if binary.BigEndian.Uint32(s) != logRecordMagic {
			continue
		}
		if binary.BigEndian.Uint32(s[40:]) != 1 { // h_num_logops
			return false, nil
		}
		hdrSectors := int64(1)
		if version, size := binary.BigEndian.Uint32(s[8:]), binary.BigEndian.Uint32(s[320:]); version&2 != 0 && size > 32<<10 {
			hdrSectors = int64(min(size, 256<<10)+32<<10-1) / (32 << 10)
		}
		op, err := lr.sector((bb + hdrSectors) % lr.sectors)
		if err != nil {
			return false, err
		}
		return op[9]&logUnmountTrans != 0, nil // oh_flags
	}
	return false, corruptf("no log record header within %d sectors before the log head", logScanSectors)
}

type logReader struct {
	v       *Volume
	start   uint64 // first linear block of the log
	sectors int64  // log length in 512-byte sectors
}

func (v *Volume) logReader() (*logReader, error) {
	if v.sb.logStart == 0 {
		return nil, ErrExternalLog
	}
	start, err := v.fsbToLinear(v.sb.logStart)
	if err != nil {
		return nil, err
	}
	if v.sb.logBlocks == 0 || uint64(v.sb.logBlocks) > v.sb.dblocks-start {
		return nil, corruptf("log of %d blocks at block %d", v.sb.logBlocks, start)
	}
	return &logReader{v: v, start: start, sectors: int64(v.sb.logBlocks) << (v.sb.blockLog - 9)}, nil
}

// sector returns 512-byte sector bb of the log.
func (lr *logReader) sector(bb int64) ([]byte, error) {
	perBlock := int64(1) << (lr.v.sb.blockLog - 9)
	b, err := lr.v.blocks(lr.start+uint64(bb/perBlock), 1)
	if err != nil {
		return nil, err
	}
	off := (bb % perBlock) * 512
	return b[off : off+512], nil
}

// cycle is the cycle number stamped on a sector: the first word of a data
// sector, the second of a record header.
func (lr *logReader) cycle(bb int64) (uint32, error) {
	s, err := lr.sector(bb)
	if err != nil {
		return 0, err
	}
	if binary.BigEndian.Uint32(s) == logRecordMagic {
		return binary.BigEndian.Uint32(s[4:]), nil
	}
	return binary.BigEndian.Uint32(s), nil
}

// findHead finds where the next record would go: the first sector still
// carrying the previous cycle number (xlog_find_head's main case; the
// kernel's extra checks for torn writes are not repeated here).
func (lr *logReader) findHead() (int64, error) {
	first, err := lr.cycle(0)
	if err != nil {
		return 0, err
	}
	last, err := lr.cycle(lr.sectors - 1)
	if err != nil {
		return 0, err
	}
	if first == last {
		return 0, nil // the newest cycle fills the log: it wrapped at the end
	}
	// Sectors [0, head) carry cycle first, [head, end) cycle last.
	lo, hi := int64(0), lr.sectors-1
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		c, err := lr.cycle(mid)
		if err != nil {
			return 0, err
		}
		if c == last {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}
