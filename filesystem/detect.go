package filesystem

import (
	"bytes"
	"encoding/binary"
	"io"
)

// Kind names what a partition or volume holds.
type Kind string

const (
	Unknown Kind = ""
	Ext2    Kind = "ext2"
	Ext3    Kind = "ext3"
	Ext4    Kind = "ext4"
	XFS     Kind = "xfs"
	Btrfs   Kind = "btrfs"
	NTFS    Kind = "ntfs"
	VFAT    Kind = "vfat"
	Swap    Kind = "swap"
	LVM2PV  Kind = "LVM2_member"
	LUKS    Kind = "crypto_LUKS"
	ISO9660 Kind = "iso9660"
	// Zero: the first 64 KiB are all zero (unused or wiped).
	Zero Kind = "zero"
)

// Detect tells what r (size bytes) holds from its signatures, as blkid
// would. It reads at most a few small blocks.
func Detect(r io.ReaderAt, size int64) Kind {
	head := make([]byte, 8192)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	at := func(off int, sig string) bool {
		return off+len(sig) <= len(head) && string(head[off:off+len(sig)]) == sig
	}
	switch {
	case at(0, "LUKS\xba\xbe"):
		return LUKS
	case at(0, "XFSB"):
		return XFS
	case at(3, "NTFS    "):
		return NTFS
	}
	// LVM2 puts its label in one of the first four sectors.
	for s := 0; s < 4; s++ {
		if at(s*512, "LABELONE") && at(s*512+24, "LVM2 001") {
			return LVM2PV
		}
	}
	if len(head) >= 0x460 && binary.LittleEndian.Uint16(head[0x438:]) == 0xEF53 {
		return extKind(head[0x400:])
	}
	// Swap's signature ends the first page; pages of 4 KiB are the norm.
	for _, page := range []int{4096, 8192} {
		if at(page-10, "SWAPSPACE2") || at(page-10, "SWAP-SPACE") {
			return Swap
		}
	}
	if at(0x36, "FAT") || at(0x52, "FAT32   ") {
		if len(head) >= 512 && head[510] == 0x55 && head[511] == 0xAA {
			return VFAT
		}
	}
	if size >= 0x10048 {
		b := make([]byte, 8)
		if n, _ := r.ReadAt(b, 0x10040); n == 8 && string(b) == "_BHRfS_M" {
			return Btrfs
		}
	}
	if size >= 0x8006 {
		b := make([]byte, 5)
		if n, _ := r.ReadAt(b, 0x8001); n == 5 && string(b) == "CD001" {
			return ISO9660
		}
	}
	if len(head) > 0 && bytes.Count(head, []byte{0}) == len(head) {
		return Zero
	}
	return Unknown
}

// extKind tells ext2, ext3 and ext4 apart by their feature flags, as blkid
// does: a journal makes ext3; features ext3 lacks make ext4.
func extKind(sb []byte) Kind {
	compat := binary.LittleEndian.Uint32(sb[0x5C:])
	incompat := binary.LittleEndian.Uint32(sb[0x60:])
	roCompat := binary.LittleEndian.Uint32(sb[0x64:])
	const (
		compatJournal = 0x4
		// Incompat features ext3 does not know: extents, 64bit, flex_bg,
		// mmp, inline_data, csum_seed, largedir, encrypt, meta_bg's kin.
		ext3Incompat = 0x2 | 0x4 | 0x8 // filetype, recover, journal_dev
		ext3RoCompat = 0x1 | 0x2 | 0x4 // sparse_super, large_file, btree_dir
	)
	if incompat&^ext3Incompat != 0 || roCompat&^ext3RoCompat != 0 {
		return Ext4
	}
	if compat&compatJournal != 0 {
		return Ext3
	}
	return Ext2
}
