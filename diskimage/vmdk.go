package diskimage

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/uimport/uimport/imageformat"
)

// VMDK sparse extent header (little-endian), from VMware's "Virtual Disk
// Format 5.0" and QEMU's vmdk driver.
const (
	vmdkVersion     = 4
	vmdkFlags       = 8
	vmdkCapacity    = 12 // sectors
	vmdkGrainSize   = 20 // sectors
	vmdkDescOffset  = 28 // sectors
	vmdkDescSize    = 36 // sectors
	vmdkNumGTEs     = 44
	vmdkGDOffset    = 56 // sectors
	vmdkCompressAlg = 77
	vmdkHeaderLen   = 512

	vmdkFlagZeroGrain  = 1 << 2
	vmdkFlagCompressed = 1 << 16
	vmdkFlagMarkers    = 1 << 17

	vmdkGDAtEnd     = 0xffffffffffffffff // the grain directory offset is in the footer
	vmdkMarkerEOS   = 0
	vmdkMarkerFoot  = 3
	vmdkGTEZeroed   = 1
	vmdkMaxGrain    = 4096     // sectors (2 MiB); VMware and QEMU use 128
	vmdkMaxGTEs     = 1 << 16  // entries per grain table; always 512 in practice
	vmdkMaxGDBytes  = 32 << 20 // as QEMU's L1 limit
	vmdkMaxCapacity = 1 << 44  // sectors (8 PiB): keeps byte sizes far from overflow
	vmdkMaxDesc     = 64 << 10
)

type vmdk struct {
	f          *file
	grainBytes int64
	gdOff      int64
	gdLen      int64
	gtLen      int64 // bytes per grain table
	numGTEs    int64
	zeroGrain  bool
	compressed bool
	markers    bool
	grains     *lru // decompressed grains
}

const singleFileVMDK = "upload a single-file VMDK: qemu-img convert -O vmdk -o subformat=streamOptimized disk.vmdk single.vmdk"

func openVMDK(r io.ReaderAt, size int64, head []byte) (*Disk, error) {
	const format = imageformat.VMDK
	f := newFile(r, size, format, head)
	if !strings.HasPrefix(string(head), "KDMV") {
		d := parseDescriptor(head)
		return nil, &UnsupportedError{Format: format,
			Reason: fmt.Sprintf("this is only a VMDK descriptor (%s): the disk data is in separate extent files", orUnknown(d.createType)),
			Fix:    singleFileVMDK}
	}
	if len(head) < vmdkHeaderLen {
		return nil, corrupt(format, "the header is cut short (%d bytes): the file is truncated", len(head))
	}
	hdr := head[:vmdkHeaderLen]
	if binary.LittleEndian.Uint64(hdr[vmdkGDOffset:]) == vmdkGDAtEnd {
		var err error
		if hdr, err = vmdkFooter(f); err != nil {
			return nil, err
		}
	}
	version := binary.LittleEndian.Uint32(hdr[vmdkVersion:])
	if version < 1 || version > 3 {
		return nil, &UnsupportedError{Format: format, Reason: fmt.Sprintf("VMDK sparse extent version %d cannot be read (only 1 to 3)", version), Fix: singleFileVMDK}
	}
	flags := binary.LittleEndian.Uint32(hdr[vmdkFlags:])
	capacity := binary.LittleEndian.Uint64(hdr[vmdkCapacity:])
	grain := binary.LittleEndian.Uint64(hdr[vmdkGrainSize:])
	gtes := uint64(binary.LittleEndian.Uint32(hdr[vmdkNumGTEs:]))
	switch {
	case capacity > vmdkMaxCapacity:
		return nil, corrupt(format, "the capacity is %d sectors", capacity)
	case grain < 1 || grain > vmdkMaxGrain:
		return nil, corrupt(format, "the grain size is %d sectors (1 to %d)", grain, vmdkMaxGrain)
	case gtes < 1 || gtes > vmdkMaxGTEs:
		return nil, corrupt(format, "a grain table has %d entries (1 to %d)", gtes, vmdkMaxGTEs)
	}
	v := &vmdk{f: f, grainBytes: int64(grain) * 512, numGTEs: int64(gtes), gtLen: int64(gtes) * 4,
		zeroGrain: flags&vmdkFlagZeroGrain != 0, compressed: flags&vmdkFlagCompressed != 0, markers: flags&vmdkFlagMarkers != 0}
	if alg := binary.LittleEndian.Uint16(hdr[vmdkCompressAlg:]); v.compressed && alg != 1 {
		return nil, &UnsupportedError{Format: format, Reason: fmt.Sprintf("the VMDK uses compression algorithm %d (only deflate, 1, is known)", alg), Fix: singleFileVMDK}
	}
	perGT := gtes * grain
	gdEntries := capacity/perGT + min(1, capacity%perGT)
	v.gdLen = int64(gdEntries * 4)
	gdSector := binary.LittleEndian.Uint64(hdr[vmdkGDOffset:])
	if v.gdLen > vmdkMaxGDBytes {
		return nil, corrupt(format, "the grain directory would be %d bytes", v.gdLen)
	}
	if gdSector > uint64(size)/512 || !f.within(int64(gdSector)*512, v.gdLen) {
		return nil, corrupt(format, "the grain directory at sector %d (%d bytes) lies past the end of the file (0x%x bytes)", gdSector, v.gdLen, size)
	}
	v.gdOff = int64(gdSector) * 512
	v.grains = newLRU(64, int(max(8<<20, 2*v.grainBytes)))

	desc, err := v.descriptor(hdr)
	if err != nil {
		return nil, err
	}
	if len(desc.extents) > 1 {
		return nil, &UnsupportedError{Format: format, Reason: fmt.Sprintf("the VMDK's descriptor lists %d extent files (%s); only a single-file VMDK can be read", len(desc.extents), strings.Join(desc.extents, ", ")), Fix: singleFileVMDK}
	}
	sub := desc.createType
	if sub == "" {
		sub = map[bool]string{false: "monolithicSparse", true: "streamOptimized"}[v.compressed]
	}
	vsize := int64(capacity) * 512
	d := &Disk{info: Info{Format: format, Subformat: sub, VirtualSize: vsize, Compressed: v.compressed, Allocated: min(size, vsize)}, read: v.readAt}
	if desc.parentCID != "" && desc.parentCID != "ffffffff" {
		d.info.BackingFile = orUnnamed(desc.parentHint)
		d.err = fmt.Errorf("%w (%s)", ErrBackingFile, d.info.BackingFile)
		return d, d.err
	}
	return d, nil
}

// vmdkFooter returns the header copy in the footer of a VMware
// streamOptimized file whose header says GD_AT_END: the last 1536 bytes
// are a footer marker, the footer (a header with the real grain directory
// offset) and an end-of-stream marker.
func vmdkFooter(f *file) ([]byte, error) {
	const tailLen = 3 * 512
	if f.size < vmdkHeaderLen+tailLen {
		return nil, corrupt(f.format, "the header says the grain directory is in a footer, but the file is too short to have one")
	}
	tail := make([]byte, tailLen)
	if err := f.readFull(tail, f.size-tailLen); err != nil {
		return nil, err
	}
	marker, footer, eos := tail[:512], tail[512:1024], tail[1024:]
	if binary.LittleEndian.Uint32(marker[8:]) != 0 || binary.LittleEndian.Uint32(marker[12:]) != vmdkMarkerFoot ||
		binary.LittleEndian.Uint64(eos) != 0 || binary.LittleEndian.Uint32(eos[8:]) != 0 || binary.LittleEndian.Uint32(eos[12:]) != vmdkMarkerEOS {
		return nil, corrupt(f.format, "the header says the grain directory is in a footer, but the file does not end with a footer marker, footer and end-of-stream marker")
	}
	if string(footer[:4]) != "KDMV" {
		return nil, corrupt(f.format, "the footer does not start with KDMV")
	}
	if binary.LittleEndian.Uint64(footer[vmdkGDOffset:]) == vmdkGDAtEnd {
		return nil, corrupt(f.format, "the footer's grain directory offset is GD_AT_END too")
	}
	return footer, nil
}

// descriptor reads the embedded descriptor, if any (bounded to 64 KiB).
func (v *vmdk) descriptor(hdr []byte) (descriptor, error) {
	off, n := binary.LittleEndian.Uint64(hdr[vmdkDescOffset:]), binary.LittleEndian.Uint64(hdr[vmdkDescSize:])
	if off == 0 || n == 0 {
		return descriptor{}, nil
	}
	if off > uint64(v.f.size)/512 {
		return descriptor{}, corrupt(v.f.format, "the descriptor at sector %d lies past the end of the file (0x%x bytes)", off, v.f.size)
	}
	length := int(min(n*512, vmdkMaxDesc, uint64(v.f.size)-off*512))
	text, err := v.f.block("descriptor", int64(off)*512, length)
	if err != nil {
		return descriptor{}, err
	}
	return parseDescriptor(text), nil
}

func orUnknown(s string) string {
	if s == "" {
		return "no createType"
	}
	return s
}

func orUnnamed(s string) string {
	if s == "" {
		return "(unnamed)"
	}
	return s
}
