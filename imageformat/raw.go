package imageformat

import "fmt"

// MBR and GPT locations. The UHost import guidance asks for an MBR
// partition table, not GPT (docs/API.md).
const (
	mbrSignature  = 510
	mbrPartitions = 446
	mbrEntryLen   = 16
	mbrTypeGPT    = 0xee // protective MBR in front of a GPT
)

// sniffRaw is the fallback: no known signature, so the bytes are taken as a
// raw disk and checked for what a bootable one has.
func sniffRaw(head []byte, size int64) Result {
	r := accepted(RAW)
	if size > 0 {
		r.VirtualSize = size
		r.detail("RAW, %s", HumanSize(size))
		if size%sectorSize != 0 {
			r.warn(fmt.Sprintf("the size (%d bytes) is not a whole number of 512-byte sectors: this may not be a disk image", size),
				"check that the object is the disk image you meant")
		}
	}
	partitionHints(&r, head)
	return r
}

const wholeDisk = "image the whole disk (e.g. /dev/sda, not /dev/sda1)"

// partitionHints reads the partition table at the start of raw disk data
// (a RAW object, or a fixed VHD's data).
func partitionHints(r *Result, head []byte) {
	if len(head) < sectorSize {
		r.warn(fmt.Sprintf("only %d bytes: too small to hold a partition table", len(head)), "check that the object is the disk image you meant")
		return
	}
	mbr := head[mbrSignature] == 0x55 && head[mbrSignature+1] == 0xaa
	parts, protective := 0, false
	if mbr {
		for i := range 4 {
			switch head[mbrPartitions+i*mbrEntryLen+4] {
			case 0:
			case mbrTypeGPT:
				protective = true
			default:
				parts++
			}
		}
	}
	switch {
	case protective || at(head, 512, "EFI PART") || at(head, 4096, "EFI PART"):
		r.detail("GPT partition table")
		r.warn("the disk has a GPT partition table, but UHost imports need MBR",
			"rebuild the image with an MBR (msdos) partition table, or convert it (e.g. sgdisk --gpttombr) and reinstall the boot loader")
	case mbr && at(head, 3, "NTFS    "):
		r.warn("this is a bare NTFS partition (no partition table), not a whole disk", wholeDisk)
	case mbr && (at(head, 82, "FAT32   ") || at(head, 54, "FAT1")):
		r.warn("this is a bare FAT partition (no partition table), not a whole disk", wholeDisk)
	case mbr:
		r.detail("MBR partition table, %d partition(s)", parts)
		if parts == 0 {
			r.warn("the MBR lists no partitions", "check that the object is the disk image you meant")
		}
	case le16(head, 1024+56) == 0xef53:
		r.warn("this is a bare ext2/3/4 filesystem (no partition table), not a whole disk", wholeDisk)
	case at(head, 0, "XFSB"):
		r.warn("this is a bare XFS filesystem (no partition table), not a whole disk", wholeDisk)
	default:
		r.warn("no MBR boot signature (0x55AA at byte 510): this does not look like a bootable disk",
			"import a whole-disk image with an MBR partition table; if it is in another format, convert it: qemu-img convert -O qcow2 disk.img disk.qcow2")
	}
}
