package imageformat

import "fmt"

// qcow2 header fields (big-endian), from QEMU's docs/interop/qcow2.txt.
const (
	qcowVersion       = 4
	qcowBackingOffset = 8
	qcowBackingSize   = 16
	qcowClusterBits   = 20
	qcowSize          = 24
	qcowCryptMethod   = 32
	qcowV2HeaderLen   = 72
	qcowIncompatible  = 72  // v3 only
	qcowHeaderLength  = 100 // v3 only
	qcowCompression   = 104 // v3, when header_length > 104
)

// qcow2 v3 incompatible feature bits: a reader that lacks one cannot open
// the image, and some mean the object alone is not the whole disk.
const (
	qcowDirty        = 1 << 0
	qcowCorrupt      = 1 << 1
	qcowExternalData = 1 << 2
	qcowCompressType = 1 << 3
	qcowExtendedL2   = 1 << 4
	qcowKnownBits    = 1<<5 - 1
)

const flattenQCOW = "qemu-img convert -O qcow2 disk.qcow2 flat.qcow2"

func sniffQCOW(head, _ []byte, size int64, _ int) (Result, bool) {
	if !at(head, 0, "QFI\xfb") {
		return Result{}, false
	}
	version := be32(head, qcowVersion)
	if version == 1 {
		return rejected("qcow", "this is QCOW version 1, not qcow2", "convert it: qemu-img convert -O qcow2 disk.qcow disk.qcow2"), true
	}
	r := accepted(QCOW2)
	if len(head) < qcowV2HeaderLen {
		if size >= 0 && size <= int64(len(head)) {
			r.reject("the qcow2 header is cut short: the file is truncated", "upload the complete image again")
		} else {
			r.warn(fmt.Sprintf("only %d bytes could be read, so the qcow2 header was not checked", len(head)), "")
		}
		return r, true
	}
	r.VirtualSize = toSize(be64(head, qcowSize))
	r.detail("qcow2 v%d, virtual size %s", version, HumanSize(r.VirtualSize))
	if version != 2 && version != 3 {
		r.warn(fmt.Sprintf("qcow2 version %d is unknown; the import service may not read it", version), "convert it: "+flattenQCOW)
	}
	if cb := be32(head, qcowClusterBits); cb < 9 || cb > 21 {
		r.warn(fmt.Sprintf("the qcow2 header looks damaged (cluster_bits %d)", cb), "run qemu-img check disk.qcow2")
	}
	if off := be64(head, qcowBackingOffset); off != 0 {
		name := "name not readable here"
		if n := uint64(be32(head, qcowBackingSize)); n > 0 && off <= uint64(len(head)) && n <= uint64(len(head))-off {
			name = printable(head[off : off+n])
		}
		r.warn(fmt.Sprintf("the qcow2 has a backing file (%s): the object holds only the changes on top of it, and the import cannot fetch the base", name),
			"flatten it first, where the backing file is: "+flattenQCOW)
	}
	if version >= 3 && len(head) >= qcowHeaderLength+4 {
		qcowFeatures(&r, head)
	}
	// Encryption is blocking, not a warning: ImportCustomImage has no
	// parameter for a passphrase, so the service cannot read the data.
	if m := be32(head, qcowCryptMethod); m != 0 {
		method := map[uint32]string{1: "AES", 2: "LUKS"}[m]
		if method == "" {
			method = fmt.Sprintf("method %d", m)
		}
		r.reject(fmt.Sprintf("the qcow2 is encrypted (%s) and the import has no way to receive its passphrase", method),
			"decrypt it: qemu-img convert --object secret,id=sec0,file=passphrase.txt --image-opts driver=qcow2,encrypt.key-secret=sec0,file.filename=disk.qcow2 -O qcow2 plain.qcow2")
	}
	return r, true
}

// qcowFeatures warns about v3 incompatible features: ones that make the
// object incomplete, or that older QEMU versions (which the import service
// may run) cannot read.
func qcowFeatures(r *Result, head []byte) {
	bits := be64(head, qcowIncompatible)
	if bits&qcowDirty != 0 {
		r.warn("the qcow2 is marked dirty (not closed cleanly)", "repair it: qemu-img check -r all disk.qcow2")
	}
	if bits&qcowCorrupt != 0 {
		r.warn("the qcow2 is marked corrupt", "repair it: qemu-img check -r all disk.qcow2, or convert it: "+flattenQCOW)
	}
	if bits&qcowExternalData != 0 {
		r.warn("the qcow2 keeps its data in an external file: the object alone holds no disk data", "make it self-contained: "+flattenQCOW)
	}
	if bits&qcowCompressType != 0 && be32(head, qcowHeaderLength) > qcowCompression && len(head) > qcowCompression && head[qcowCompression] == 1 {
		r.warn("the qcow2 uses zstd compression, which QEMU before 5.1 cannot read; the import service's version is unknown",
			"recompress it: qemu-img convert -O qcow2 -o compression_type=zlib disk.qcow2 zlib.qcow2")
	}
	if bits&qcowExtendedL2 != 0 {
		r.warn("the qcow2 uses extended L2 entries (subclusters), which QEMU before 5.2 cannot read", "convert it: "+flattenQCOW)
	}
	if bits&^qcowKnownBits != 0 {
		r.warn(fmt.Sprintf("the qcow2 sets incompatible feature bits this check does not know (0x%x)", bits&^qcowKnownBits), "convert it: "+flattenQCOW)
	}
}
