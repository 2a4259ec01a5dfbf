package imageformat

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
)

// Builders of small, spec-shaped images for the tests. Each writes only the
// fields Sniff reads, with encoding/binary, so no binary fixtures are needed.

const gib = 1 << 30

type qcowOpts struct {
	version     uint32
	size        uint64
	backing     string
	crypt       uint32
	incompat    uint64
	compression byte // v3 compression type (1 = zstd)
}

func qcow2Image(o qcowOpts) []byte {
	b := make([]byte, 64<<10)
	copy(b, "QFI\xfb")
	be := binary.BigEndian
	be.PutUint32(b[4:], o.version)
	be.PutUint32(b[20:], 16) // 64 KiB clusters
	be.PutUint64(b[24:], o.size)
	be.PutUint32(b[32:], o.crypt)
	if o.version >= 3 {
		be.PutUint64(b[72:], o.incompat)
		be.PutUint32(b[96:], 4)    // refcount_order
		be.PutUint32(b[100:], 112) // header_length
		b[104] = o.compression
	}
	if o.backing != "" {
		be.PutUint64(b[8:], 0x200)
		be.PutUint32(b[16:], uint32(len(o.backing)))
		copy(b[0x200:], o.backing)
	}
	return b
}

func vmdkSparse(capacitySectors uint64, flags uint32, desc string) []byte {
	b := make([]byte, 64<<10)
	le := binary.LittleEndian
	copy(b, "KDMV")
	le.PutUint32(b[4:], 3)
	le.PutUint32(b[8:], flags)
	le.PutUint64(b[12:], capacitySectors)
	le.PutUint64(b[20:], 128) // grain: 64 KiB
	if desc != "" {
		le.PutUint64(b[28:], 1)  // descriptor at sector 1
		le.PutUint64(b[36:], 20) // up to 20 sectors
		copy(b[512:], desc)
	}
	b[73], b[74], b[75], b[76] = '\n', ' ', '\r', '\n'
	return b
}

func vmdkDescriptor(createType, parentCID string, extents ...string) string {
	s := "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=" + parentCID + "\ncreateType=\"" + createType + "\"\n\n# Extent description\n"
	for _, e := range extents {
		s += e + "\n"
	}
	return s
}

// vhdFooterBytes is a 512-byte VHD footer with a valid checksum.
func vhdFooterBytes(diskType uint32, size uint64) []byte {
	f := make([]byte, 512)
	be := binary.BigEndian
	copy(f, "conectix")
	be.PutUint32(f[8:], 2)
	be.PutUint32(f[12:], 0x00010000)
	dataOffset := uint64(0xffffffffffffffff)
	if diskType != 2 {
		dataOffset = 512
	}
	be.PutUint64(f[16:], dataOffset)
	copy(f[28:], "qemu")
	be.PutUint64(f[40:], size)
	be.PutUint64(f[48:], size)
	be.PutUint32(f[60:], diskType)
	be.PutUint32(f[64:], vhdSum(f))
	return f
}

// fixedVHD is an MBR disk of n bytes followed by its footer.
func fixedVHD(n int) []byte {
	return append(mbrDisk(n, 0x83), vhdFooterBytes(2, uint64(n))...)
}

// dynamicVHD is footer copy, dynamic header, and (as the whole file) the
// footer again at the end.
func dynamicVHD(diskType uint32, size uint64) []byte {
	b := make([]byte, 4096)
	copy(b, vhdFooterBytes(diskType, size))
	copy(b[512:], "cxsparse")
	return append(b, vhdFooterBytes(diskType, size)...)
}

// mbrDisk has one partition of the given type (0xee makes it a protective
// MBR) and the boot signature.
func mbrDisk(n int, partType byte) []byte {
	b := make([]byte, n)
	b[446] = 0x80
	b[446+4] = partType
	binary.LittleEndian.PutUint32(b[446+8:], 1)
	binary.LittleEndian.PutUint32(b[446+12:], uint32(n/512-1))
	b[510], b[511] = 0x55, 0xaa
	return b
}

func gptDisk(n int) []byte {
	b := mbrDisk(n, 0xee)
	copy(b[512:], "EFI PART")
	return b
}

// tarArchive has one ustar header per name (with empty contents).
func tarArchive(names ...string) []byte {
	var out []byte
	for _, n := range names {
		h := make([]byte, 512)
		copy(h, n)
		copy(h[124:], fmt.Sprintf("%011o\x00", 0))
		copy(h[257:], "ustar\x0000")
		out = append(out, h...)
	}
	return append(out, make([]byte, 1024)...)
}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func isoImage() []byte {
	b := mbrDisk(40<<10, 0x17) // hybrid ISOs carry an MBR too
	b[0x8000] = 1
	copy(b[0x8001:], "CD001")
	return b
}

func with(b []byte, off int, s string) []byte {
	copy(b[off:], s)
	return b
}
