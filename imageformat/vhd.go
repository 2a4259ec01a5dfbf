package imageformat

import "fmt"

// VHD footer fields (big-endian), from Microsoft's "Virtual Hard Disk Image
// Format Specification". Every VHD ends with this 512-byte footer; dynamic
// and differencing VHDs also start with a copy of it.
const (
	vhdCookie      = "conectix"
	vhdDataOffset  = 16
	vhdCurrentSize = 48
	vhdDiskType    = 60
	vhdChecksum    = 64
	vhdFooterLen   = 512
	vhdMinFooter   = 68 // through the checksum
)

const (
	vhdFixed        = 2
	vhdDynamic      = 3
	vhdDifferencing = 4
)

var vhdTypeNames = map[uint32]string{vhdFixed: "fixed", vhdDynamic: "dynamic", vhdDifferencing: "differencing"}

// vhdFooter returns the footer at the end of tail: normally its last 512
// bytes, or its last 511, which Virtual PC before 2004 wrote and QEMU still
// accepts.
func vhdFooter(tail []byte) ([]byte, bool) {
	for _, n := range []int{vhdFooterLen, vhdFooterLen - 1} {
		if len(tail) >= n && at(tail, len(tail)-n, vhdCookie) {
			return tail[len(tail)-n:], true
		}
	}
	return nil, false
}

// sniffDynamicVHD finds the footer copy at offset 0 that dynamic and
// differencing VHDs carry.
func sniffDynamicVHD(head, tail []byte, _ int64, _ int) (Result, bool) {
	if !at(head, 0, vhdCookie) {
		return Result{}, false
	}
	r := vhdResult(head[:min(len(head), vhdFooterLen)])
	if typ := be32(head, vhdDiskType); typ == vhdDynamic || typ == vhdDifferencing {
		if off := be64(head, vhdDataOffset); off < uint64(len(head)) && !at(head, int(off), "cxsparse") {
			r.warn(fmt.Sprintf("the dynamic VHD header (cxsparse) is missing at offset %d: the file may be damaged", off), "check it: qemu-img check disk.vhd")
		}
	}
	if tail != nil {
		if _, ok := vhdFooter(tail); !ok {
			r.warn("the VHD footer is missing from the end of the file: it is probably truncated", "upload the complete image again")
		}
	}
	return r, true
}

// sniffFixedVHD finds a footer at the end only: a fixed VHD, which is the
// raw disk followed by the footer, so its head also gets RAW's checks.
func sniffFixedVHD(head, tail []byte, size int64, _ int) (Result, bool) {
	footer, ok := vhdFooter(tail)
	if !ok {
		return Result{}, false
	}
	r := vhdResult(footer)
	switch typ := be32(footer, vhdDiskType); typ {
	case vhdFixed:
		if want := r.VirtualSize + int64(len(footer)); size > 0 && r.VirtualSize > 0 && size != want {
			r.warn(fmt.Sprintf("the file is %d bytes but its footer describes %d (disk plus footer): it may be truncated or padded", size, want),
				"upload the complete image again")
		}
		partitionHints(&r, head)
	case vhdDynamic, vhdDifferencing:
		r.warn("the VHD's copy of its footer at offset 0 is missing: the file is damaged", "check it: qemu-img check disk.vhd")
	}
	return r, true
}

// vhdResult reads one footer: disk type, virtual size, checksum.
func vhdResult(footer []byte) Result {
	r := accepted(VHD)
	if len(footer) < vhdMinFooter {
		r.warn(fmt.Sprintf("only %d bytes of the VHD footer could be read, so it was not checked", len(footer)), "")
		return r
	}
	typ := be32(footer, vhdDiskType)
	r.VirtualSize = toSize(be64(footer, vhdCurrentSize))
	name := vhdTypeNames[typ]
	if name == "" {
		name = fmt.Sprintf("unknown disk type %d", typ)
		r.warn(fmt.Sprintf("the VHD disk type (%d) is not fixed, dynamic or differencing", typ), "check it: qemu-img check disk.vhd")
	}
	r.detail("VHD, %s, virtual size %s", name, HumanSize(r.VirtualSize))
	if typ == vhdDifferencing {
		r.warn("this is a differencing VHD: it holds only the changes to a parent VHD, which the import cannot fetch",
			"merge it into its parent first (Hyper-V: Edit Disk, Merge), or convert the chain: qemu-img convert -O vpc -o subformat=fixed child.vhd merged.vhd")
	}
	if vhdSum(footer) != be32(footer, vhdChecksum) {
		r.warn("the VHD footer checksum is wrong: the file may be damaged", "check it: qemu-img check disk.vhd")
	}
	return r
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

func sniffVHDX(head, _ []byte, _ int64, _ int) (Result, bool) {
	if !at(head, 0, "vhdxfile") {
		return Result{}, false
	}
	return rejected("VHDX", "VHDX is not accepted (only RAW, VHD, VMDK and qcow2 are)",
		"convert it: qemu-img convert -O vpc -o subformat=fixed disk.vhdx disk.vhd, or qemu-img convert -O qcow2 disk.vhdx disk.qcow2 (Hyper-V: Convert-VHD)"), true
}
