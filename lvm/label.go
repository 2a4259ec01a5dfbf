// Package lvm reads LVM2 physical volumes: the label, the newest volume
// group metadata in the metadata areas, and linear logical volumes as
// io.ReaderAt. Other segment types (striped over several devices, thin,
// raid, mirror, snapshot, cache, ...) are recognised and reported by name.
// Everything read from the disk is untrusted and bounded.
package lvm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

var (
	// ErrNotPV: no LVM2 label in the first four sectors.
	ErrNotPV = errors.New("lvm: no LVM2 label in the first four sectors")
	// ErrNoMetadata: the PV has no metadata area (pvcreate
	// --metadatacopies 0); open the VG through another of its PVs.
	ErrNoMetadata = errors.New("lvm: this physical volume holds no volume group metadata")
)

// CorruptError says what in LVM's own on-disk structures is wrong.
type CorruptError struct{ What string }

func (e *CorruptError) Error() string { return "lvm: corrupt: " + e.What }

func corruptf(format string, args ...any) error {
	return &CorruptError{What: fmt.Sprintf(format, args...)}
}

const (
	sectorSize = 512
	// initialCRC seeds LVM's CRC-32, which is the IEEE polynomial without
	// the usual pre- and post-inversion.
	initialCRC = 0xf597a6cf
	// maxAreas bounds the data and metadata area lists of a PV header.
	maxAreas = 8
)

func lvmCRC(p []byte) uint32 { return ^crc32.Update(^uint32(initialCRC), crc32.IEEETable, p) }

// Area is a byte range of the PV (a data or metadata area). Size 0 for a
// data area means "to the end of the device".
type Area struct{ Offset, Size int64 }

// Label is what a PV says about itself before any VG metadata.
type Label struct {
	PVUUID        string // with dashes, as the metadata writes it
	DeviceSize    int64
	DataAreas     []Area
	MetadataAreas []Area
}

// ReadLabel reads the LVM2 label and PV header of a device of size bytes.
func ReadLabel(r io.ReaderAt, size int64) (*Label, error) {
	if size < 4*sectorSize {
		return nil, ErrNotPV
	}
	buf := make([]byte, 4*sectorSize)
	if err := readFull(r, buf, 0); err != nil {
		return nil, err
	}
	for s := 0; s < 4; s++ {
		sec := buf[s*sectorSize : (s+1)*sectorSize]
		if string(sec[:8]) != "LABELONE" {
			continue
		}
		if string(sec[24:32]) != "LVM2 001" {
			return nil, corruptf("label in sector %d has type %q, not LVM2 001", s, sec[24:32])
		}
		if binary.LittleEndian.Uint64(sec[8:]) != uint64(s) {
			return nil, corruptf("label in sector %d says it is in sector %d", s, binary.LittleEndian.Uint64(sec[8:]))
		}
		if lvmCRC(sec[20:]) != binary.LittleEndian.Uint32(sec[16:]) {
			return nil, corruptf("label checksum mismatch")
		}
		return parsePVHeader(sec, size)
	}
	return nil, ErrNotPV
}

func parsePVHeader(sec []byte, size int64) (*Label, error) {
	off := binary.LittleEndian.Uint32(sec[20:])
	// uuid (32) + device size (8) + two empty area lists (2*16).
	if off < 32 || off > sectorSize-72 {
		return nil, corruptf("PV header at offset %d of the label sector", off)
	}
	h := sec[off:]
	l := &Label{PVUUID: formatUUID(string(h[:32]))}
	if dev := binary.LittleEndian.Uint64(h[32:]); dev <= 1<<62 {
		l.DeviceSize = int64(dev)
	}
	pos := 40
	readList := func(what string) ([]Area, error) {
		var list []Area
		for {
			if pos+16 > len(h) {
				return nil, corruptf("PV header: %s list runs past the label sector", what)
			}
			o, n := binary.LittleEndian.Uint64(h[pos:]), binary.LittleEndian.Uint64(h[pos+8:])
			pos += 16
			if o == 0 {
				return list, nil
			}
			if len(list) == maxAreas {
				return nil, corruptf("PV header: more than %d %s", maxAreas, what)
			}
			if o >= uint64(size) || n > uint64(size)-o {
				return nil, corruptf("PV header: %s at %d (+%d) is outside the %d-byte device", what, o, n, size)
			}
			list = append(list, Area{Offset: int64(o), Size: int64(n)})
		}
	}
	var err error
	if l.DataAreas, err = readList("data areas"); err != nil {
		return nil, err
	}
	if l.MetadataAreas, err = readList("metadata areas"); err != nil {
		return nil, err
	}
	return l, nil
}

// formatUUID puts LVM's dashes into a 32-character UUID (6-4-4-4-4-4-6).
func formatUUID(raw string) string {
	raw = strings.ToValidUTF8(raw, "?")
	if len(raw) != 32 {
		return raw
	}
	var b strings.Builder
	for i, n := range []int{6, 4, 4, 4, 4, 4, 6} {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(raw[:n])
		raw = raw[n:]
	}
	return b.String()
}

func sameUUID(a, b string) bool {
	return strings.ReplaceAll(a, "-", "") == strings.ReplaceAll(b, "-", "")
}

// readFull reads len(p) bytes at off; a short read is an error.
func readFull(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("lvm: read %d bytes at %d: %w", len(p), off, err)
}
