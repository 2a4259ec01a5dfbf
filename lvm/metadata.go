package lvm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

const (
	mdaMagic      = "\x20LVM2 x[5A%r0N*>"
	mdaHeaderSize = 512
	// MaxMetadataBytes bounds one copy of the VG metadata text (LVM's own
	// default metadata area is 1 MiB; a few MiB covers large VGs).
	MaxMetadataBytes = 4 << 20
	rawLocnIgnored   = 1
)

// metadataCopy is one metadata text found in a metadata area.
type metadataCopy struct {
	text  []byte
	root  *section
	seqno int64
}

// newestMetadata reads every metadata area of the PV and returns the
// parsed copy with the highest seqno. Problems with single areas are
// returned as notes as long as one copy is good.
func newestMetadata(r io.ReaderAt, size int64, l *Label) (*metadataCopy, []string, error) {
	var best *metadataCopy
	var notes []string
	var lastErr error
	for i, a := range l.MetadataAreas {
		c, err := readMetadataArea(r, size, a)
		if err != nil {
			if _, ok := err.(*CorruptError); !ok {
				return nil, nil, err // an I/O error
			}
			notes = append(notes, fmt.Sprintf("metadata area %d: %v", i+1, err))
			lastErr = err
			continue
		}
		if c == nil {
			continue
		}
		if best != nil && c.seqno != best.seqno {
			notes = append(notes, fmt.Sprintf("metadata areas disagree (seqno %d and %d); the newest is used", best.seqno, c.seqno))
		}
		if best == nil || c.seqno > best.seqno {
			best = c
		}
	}
	if best == nil {
		if lastErr != nil {
			return nil, nil, lastErr
		}
		return nil, nil, ErrNoMetadata
	}
	return best, notes, nil
}

// readMetadataArea reads the current metadata text of one area (nil when
// the area is empty or marked ignored). The text sits in a circular
// buffer after the 512-byte header and may wrap around to its start.
func readMetadataArea(r io.ReaderAt, size int64, a Area) (*metadataCopy, error) {
	if a.Size < mdaHeaderSize || a.Offset > size-mdaHeaderSize {
		return nil, corruptf("metadata area at %d (+%d) is too small or outside the device", a.Offset, a.Size)
	}
	h := make([]byte, mdaHeaderSize)
	if err := readFull(r, h, a.Offset); err != nil {
		return nil, err
	}
	if string(h[4:20]) != mdaMagic {
		return nil, corruptf("metadata area at %d has no LVM2 metadata header", a.Offset)
	}
	if lvmCRC(h[4:]) != binary.LittleEndian.Uint32(h[0:]) {
		return nil, corruptf("metadata area header at %d: checksum mismatch", a.Offset)
	}
	if v := binary.LittleEndian.Uint32(h[20:]); v != 1 {
		return nil, corruptf("metadata area header version %d", v)
	}
	start, areaSize := binary.LittleEndian.Uint64(h[24:]), binary.LittleEndian.Uint64(h[32:])
	if start != uint64(a.Offset) {
		return nil, corruptf("metadata area header at %d says it starts at %d", a.Offset, start)
	}
	if areaSize < mdaHeaderSize || areaSize > uint64(size-a.Offset) {
		return nil, corruptf("metadata area of %d bytes at %d does not fit the device", areaSize, a.Offset)
	}
	// The first raw location is the committed metadata.
	loc := h[40:64]
	off, n := binary.LittleEndian.Uint64(loc[0:]), binary.LittleEndian.Uint64(loc[8:])
	sum, flags := binary.LittleEndian.Uint32(loc[16:]), binary.LittleEndian.Uint32(loc[20:])
	if off == 0 || n == 0 || flags&rawLocnIgnored != 0 {
		return nil, nil
	}
	ring := areaSize - mdaHeaderSize
	if off < mdaHeaderSize || off >= areaSize || n > ring || n > MaxMetadataBytes {
		return nil, corruptf("metadata text at %d (+%d) does not fit its %d-byte area", off, n, areaSize)
	}
	text := make([]byte, n)
	first := min(n, areaSize-off)
	if err := readFull(r, text[:first], a.Offset+int64(off)); err != nil {
		return nil, err
	}
	if first < n {
		if err := readFull(r, text[first:], a.Offset+mdaHeaderSize); err != nil {
			return nil, err
		}
	}
	if lvmCRC(text) != sum {
		return nil, corruptf("metadata text checksum mismatch")
	}
	text = bytes.TrimRight(text, "\x00")
	root, err := parseConfig(text)
	if err != nil {
		return nil, err
	}
	vg := root.vgSection()
	if vg == nil {
		return nil, corruptf("metadata text has no volume group section")
	}
	seqno, _ := vg.int("seqno")
	return &metadataCopy{text: text, root: root, seqno: seqno}, nil
}
