package diskimage

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// descriptor is what a VMDK's text descriptor says that matters here.
type descriptor struct {
	createType string
	parentCID  string
	parentHint string   // parentFileNameHint
	extents    []string // extent file names (at most 8 kept)
}

// parseDescriptor reads key=value lines and extent lines such as
// `RW 41943040 SPARSE "disk.vmdk"`.
func parseDescriptor(text []byte) descriptor {
	if i := bytes.IndexByte(text, 0); i >= 0 {
		text = text[:i] // an embedded descriptor is padded with NULs
	}
	var d descriptor
	for line := range strings.SplitSeq(string(text), "\n") {
		line = strings.TrimSpace(line)
		if k, val, ok := strings.Cut(line, "="); ok && !strings.ContainsAny(k, " \"") {
			val = printable([]byte(strings.Trim(strings.TrimSpace(val), `"`)))
			switch strings.TrimSpace(k) {
			case "createType":
				d.createType = val
			case "parentCID":
				d.parentCID = strings.ToLower(val)
			case "parentFileNameHint":
				d.parentHint = val
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 || (f[0] != "RW" && f[0] != "RDONLY" && f[0] != "NOACCESS") {
			continue
		}
		if i, j := strings.IndexByte(line, '"'), strings.LastIndexByte(line, '"'); i >= 0 && j > i && len(d.extents) < 8 {
			d.extents = append(d.extents, printable([]byte(line[i+1:j])))
		}
	}
	return d
}

// mapping finds guest bytes [off, off+n) through the grain directory and
// the grain table; the piece ends at the grain's end.
func (v *vmdk) mapping(off, n int64) (piece, error) {
	g, in := off/v.grainBytes, off%v.grainBytes
	n = min(n, v.grainBytes-in)
	b, err := v.f.entry("grain directory", v.gdOff, v.gdLen, g/v.numGTEs, 4)
	if err != nil {
		return piece{}, err
	}
	gt := int64(binary.LittleEndian.Uint32(b)) * 512
	if gt == 0 {
		return piece{kind: pieceZeros, n: n}, nil
	}
	if b, err = v.f.entry("grain table", gt, v.gtLen, g%v.numGTEs, 4); err != nil {
		return piece{}, err
	}
	gte := binary.LittleEndian.Uint32(b)
	switch {
	case gte == 0 || (gte == vmdkGTEZeroed && v.zeroGrain):
		return piece{kind: pieceZeros, n: n}, nil
	case v.compressed:
		// Streams write grains in order, so the next grain usually starts
		// where this one ends: its offset lets one read fetch the whole
		// grain. It is only a hint; the marker has the real length.
		next := int64(0)
		if g%v.numGTEs+1 < v.numGTEs {
			if nb, err := v.f.entry("grain table", gt, v.gtLen, g%v.numGTEs+1, 4); err == nil {
				next = int64(binary.LittleEndian.Uint32(nb)) * 512
			}
		}
		return piece{kind: pieceCompressed, n: n, entry: uint64(gte), in: in, host: next}, nil
	}
	return piece{kind: pieceData, host: int64(gte)*512 + in, n: n}, nil
}

func (v *vmdk) readAt(p []byte, off int64) error { return readPieces(v.f, v, p, off) }

// readCompressed fills p from a compressed grain. With markers (every
// streamOptimized file) the grain starts with its guest sector (8 bytes)
// and compressed length (4); without, up to two grains' bytes are read
// and the zlib stream ends where it ends, as QEMU does.
func (v *vmdk) readCompressed(p []byte, pc piece) error {
	at := int64(pc.entry) * 512
	key := blockKey{off: at}
	grain, ok := v.grains.get(key)
	if !ok {
		src, err := v.compressedGrain(at, pc.host)
		if err != nil {
			return err
		}
		buf := make([]byte, v.grainBytes)
		n, ok := inflateZlib(buf, src)
		if !ok {
			return corrupt(v.f.format, "the compressed grain at 0x%x does not decompress", at)
		}
		grain = buf[:n]
		v.grains.put(key, grain)
	}
	if pc.in+int64(len(p)) > int64(len(grain)) {
		return corrupt(v.f.format, "the compressed grain at 0x%x holds %d bytes, fewer than the disk needs", at, len(grain))
	}
	copy(p, grain[pc.in:])
	return nil
}

// compressedGrain reads a compressed grain's bytes: with markers, the
// first sector (or up to next, the next grain, when that is near) and then
// whatever of the stated length is left.
func (v *vmdk) compressedGrain(at, next int64) ([]byte, error) {
	if at >= v.f.size {
		return nil, corrupt(v.f.format, "a compressed grain at 0x%x lies past the end of the file (0x%x bytes): the image is truncated", at, v.f.size)
	}
	maxLen := 2 * v.grainBytes // QEMU's bound too
	if !v.markers {
		src := make([]byte, min(maxLen, v.f.size-at))
		return src, v.f.readFull(src, at)
	}
	const markerLen = 12
	firstLen := int64(512)
	if next > at && next-at <= markerLen+maxLen {
		firstLen = next - at
	}
	first := make([]byte, min(firstLen, v.f.size-at))
	if len(first) < markerLen {
		return nil, corrupt(v.f.format, "the grain marker at 0x%x is cut short", at)
	}
	if err := v.f.readFull(first, at); err != nil {
		return nil, err
	}
	n := int64(binary.LittleEndian.Uint32(first[8:]))
	if n == 0 || n > maxLen || !v.f.within(at+markerLen, n) {
		return nil, corrupt(v.f.format, "the grain marker at 0x%x gives a compressed length of %d bytes", at, n)
	}
	src := make([]byte, n)
	have := copy(src, first[markerLen:])
	if int64(have) < n {
		if err := v.f.readFull(src[have:], at+markerLen+int64(have)); err != nil {
			return nil, err
		}
	}
	return src, nil
}
