package diskimage

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf16"

	"github.com/uimport/uimport/imageformat"
)

// VHD layout (big-endian), from Microsoft's "Virtual Hard Disk Image
// Format Specification", read the way QEMU's vpc driver reads it.
const (
	vhdFooterLen    = 512
	vhdDataOffset   = 16
	vhdCreatorApp   = 28
	vhdCurrentSize  = 48
	vhdGeometry     = 56
	vhdDiskType     = 60
	vhdChecksum     = 64
	vhdHeaderLen    = 1024 // the dynamic disk header ("cxsparse")
	vhdTableOffset  = 16
	vhdMaxEntries   = 28
	vhdBlockSize    = 32
	vhdParentAt     = 64
	vhdUnallocated  = 0xffffffff
	vhdMaxGeometry  = 65535 * 16 * 255 // CHS at its maximum: the size field is the truth
	vhdMaxSectors   = 0xff000000       // 2040 GiB, QEMU's limit
	vhdMaxBlockSize = 1 << 30
	vhdScanBAT      = 4 << 20 // count allocated blocks when the BAT is at most this big

	vhdTypeFixed        = 2
	vhdTypeDynamic      = 3
	vhdTypeDifferencing = 4
)

type vhd struct {
	f          *file
	batOff     int64
	batLen     int64 // bytes of the BAT that cover the virtual size
	blockSize  int64
	bitmapSize int64 // the sector bitmap in front of each block's data
}

func openVHD(r io.ReaderAt, size int64, head, tail []byte) (*Disk, error) {
	const format = imageformat.VHD
	f := newFile(r, size, format, head)
	// Dynamic and differencing disks start with a copy of the footer; a
	// fixed disk has it only at the end, possibly 511 bytes long.
	var footer []byte
	switch {
	case len(head) >= vhdFooterLen && string(head[:8]) == "conectix":
		footer = head[:vhdFooterLen]
	case len(tail) >= vhdFooterLen && string(tail[len(tail)-vhdFooterLen:][:8]) == "conectix":
		footer = tail[len(tail)-vhdFooterLen:]
	case len(tail) >= vhdFooterLen-1 && string(tail[len(tail)-vhdFooterLen+1:][:8]) == "conectix":
		footer = tail[len(tail)-vhdFooterLen+1:]
	default:
		return nil, corrupt(format, "no complete VHD footer")
	}
	if sum := vhdSum(footer); sum != binary.BigEndian.Uint32(footer[vhdChecksum:]) {
		return nil, corrupt(format, "the footer checksum is wrong (0x%08x, computed 0x%08x)", binary.BigEndian.Uint32(footer[vhdChecksum:]), sum)
	}
	sectors := vhdSectors(footer)
	if sectors > vhdMaxSectors {
		return nil, corrupt(format, "the disk size (%d sectors) is over the VHD limit of 2040 GiB", sectors)
	}
	vsize := sectors * 512
	info := Info{Format: format, VirtualSize: vsize}
	switch typ := binary.BigEndian.Uint32(footer[vhdDiskType:]); typ {
	case vhdTypeFixed:
		if data := size - int64(len(footer)); vsize > data {
			return nil, corrupt(format, "the fixed disk is %d bytes but the file holds only %d before its footer: it is truncated", vsize, data)
		}
		info.Subformat, info.Allocated = "vhd fixed", vsize
		return &Disk{info: info, read: func(p []byte, off int64) error { return f.readFull(p, off) }}, nil
	case vhdTypeDynamic, vhdTypeDifferencing:
		return openDynamicVHD(f, footer, info, typ == vhdTypeDifferencing)
	default:
		return nil, corrupt(format, "the disk type is %d (fixed is 2, dynamic 3, differencing 4)", typ)
	}
}

// vhdSectors is the virtual size as QEMU computes it: from the CHS
// geometry for images made by Virtual PC or older QEMU, from the size
// field for Hyper-V, disk2vhd, XenServer and QEMU with force_size.
func vhdSectors(footer []byte) int64 {
	chs := int64(binary.BigEndian.Uint16(footer[vhdGeometry:])) * int64(footer[vhdGeometry+2]) * int64(footer[vhdGeometry+3])
	switch string(footer[vhdCreatorApp : vhdCreatorApp+4]) {
	case "win ", "qem2", "d2v ", "CTXS", "tap\x00":
	default:
		if chs != vhdMaxGeometry {
			return chs
		}
	}
	return int64(min(binary.BigEndian.Uint64(footer[vhdCurrentSize:])/512, vhdMaxSectors+1))
}

// vhdSum is the footer checksum: the ones' complement of the byte sum,
// with the checksum field itself counted as zero.
func vhdSum(footer []byte) uint32 {
	var sum uint32
	for i, b := range footer {
		if i < vhdChecksum || i >= vhdChecksum+4 {
			sum += uint32(b)
		}
	}
	return ^sum
}

func openDynamicVHD(f *file, footer []byte, info Info, differencing bool) (*Disk, error) {
	hdrOff := binary.BigEndian.Uint64(footer[vhdDataOffset:])
	if hdrOff > uint64(f.size) {
		return nil, corrupt(f.format, "the dynamic disk header at 0x%x lies past the end of the file (0x%x bytes)", hdrOff, f.size)
	}
	hdr, err := f.block("dynamic disk header", int64(hdrOff), vhdHeaderLen)
	if err != nil {
		return nil, err
	}
	if string(hdr[:8]) != "cxsparse" {
		return nil, corrupt(f.format, "the dynamic disk header at 0x%x does not start with cxsparse", hdrOff)
	}
	v := &vhd{f: f, blockSize: int64(binary.BigEndian.Uint32(hdr[vhdBlockSize:]))}
	if v.blockSize < 512 || v.blockSize > vhdMaxBlockSize || bits.OnesCount64(uint64(v.blockSize)) != 1 {
		return nil, corrupt(f.format, "the block size is %d bytes (a power of two from 512 bytes to 1 GiB)", v.blockSize)
	}
	v.bitmapSize = (v.blockSize/512/8 + 511) &^ 511
	entries := int64(binary.BigEndian.Uint32(hdr[vhdMaxEntries:]))
	need := (info.VirtualSize + v.blockSize - 1) / v.blockSize
	if entries < need {
		return nil, corrupt(f.format, "the block table has %d entries but the disk size needs %d", entries, need)
	}
	batOff := binary.BigEndian.Uint64(hdr[vhdTableOffset:])
	v.batLen = need * 4
	if batOff > uint64(f.size) || !f.within(int64(batOff), v.batLen) {
		return nil, corrupt(f.format, "the block table at 0x%x (%d bytes) lies past the end of the file (0x%x bytes)", batOff, v.batLen, f.size)
	}
	v.batOff = int64(batOff)

	info.Subformat = "vhd dynamic"
	d := &Disk{info: info, read: v.readAt}
	if differencing {
		d.info.Subformat = "vhd differencing"
		d.info.BackingFile = vhdParentName(hdr[vhdParentAt : vhdParentAt+512])
		d.err = fmt.Errorf("%w (%s)", ErrBackingFile, d.info.BackingFile)
		return d, d.err
	}
	if d.info.Allocated, err = v.allocated(info.VirtualSize); err != nil {
		return nil, err
	}
	return d, nil
}

// vhdParentName decodes the parent's UTF-16 big-endian name.
func vhdParentName(b []byte) string {
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u := binary.BigEndian.Uint16(b[i:])
		if u == 0 {
			break
		}
		units = append(units, u)
	}
	if name := printable([]byte(string(utf16.Decode(units)))); name != "" {
		return name
	}
	return "(unnamed)"
}

// allocated counts the bytes of allocated blocks when the BAT is small
// enough to read; else the file size is the estimate.
func (v *vhd) allocated(vsize int64) (int64, error) {
	if v.batLen > vhdScanBAT {
		return min(v.f.size, vsize), nil
	}
	var n int64
	for start := int64(0); start < v.batLen; start += tableBlock {
		b, err := v.f.block("block table", v.batOff+start, int(min(tableBlock, v.batLen-start)))
		if err != nil {
			return 0, err
		}
		for i := 0; i+4 <= len(b); i += 4 {
			if binary.BigEndian.Uint32(b[i:]) != vhdUnallocated {
				n += v.blockSize
			}
		}
	}
	return min(n, vsize), nil
}

// readAt fills p from guest offset off, one block at a time: blocks are
// never contiguous in the file (each has its bitmap in front).
func (v *vhd) readAt(p []byte, off int64) error {
	for len(p) > 0 {
		blk, in := off/v.blockSize, off%v.blockSize
		n := min(int64(len(p)), v.blockSize-in)
		b, err := v.f.entry("block table", v.batOff, v.batLen, blk, 4)
		if err != nil {
			return err
		}
		if sector := binary.BigEndian.Uint32(b); sector == vhdUnallocated {
			clear(p[:n])
		} else if err := v.f.readPadded(p[:n], int64(sector)*512+v.bitmapSize+in, "data block"); err != nil {
			return err
		}
		p, off = p[n:], off+n
	}
	return nil
}
