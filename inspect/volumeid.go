package inspect

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/uimport/uimport/filesystem"
)

// volumeID reads a file system's UUID and label from its superblock, as
// blkid reports them, so /etc/fstab's UUID= and LABEL= can be matched
// without opening the file system.
func volumeID(r io.ReaderAt, size int64, kind filesystem.Kind) (uuid, label string) {
	read := func(off int64, n int) []byte {
		if off < 0 || off+int64(n) > size {
			return nil
		}
		b := make([]byte, n)
		if got, _ := r.ReadAt(b, off); got != n {
			return nil
		}
		return b
	}
	switch kind {
	case filesystem.Ext2, filesystem.Ext3, filesystem.Ext4:
		if b := read(1024+0x68, 32); b != nil {
			return formatUUID(b[:16]), cString(b[16:32])
		}
	case filesystem.XFS:
		if b := read(32, 16); b != nil {
			uuid = formatUUID(b)
		}
		if b := read(108, 12); b != nil {
			label = cString(b)
		}
	case filesystem.Swap:
		if b := read(0x40c, 32); b != nil {
			return formatUUID(b[:16]), cString(b[16:32])
		}
	case filesystem.Btrfs:
		if b := read(0x10020, 16); b != nil {
			uuid = formatUUID(b)
		}
		if b := read(0x1012b, 256); b != nil {
			label = cString(b)
		}
	case filesystem.VFAT:
		b := read(0, 512)
		if b == nil {
			return "", ""
		}
		idOff, labelOff := 0x27, 0x2b
		if binary.LittleEndian.Uint16(b[0x16:]) == 0 { // FAT32: no 16-bit FAT size
			idOff, labelOff = 0x43, 0x47
		}
		id := binary.LittleEndian.Uint32(b[idOff:])
		return fmt.Sprintf("%04X-%04X", id>>16, id&0xffff), strings.TrimSpace(cString(b[labelOff : labelOff+11]))
	case filesystem.NTFS:
		if b := read(0x48, 8); b != nil {
			return fmt.Sprintf("%016X", binary.LittleEndian.Uint64(b)), ""
		}
	case filesystem.LUKS:
		if b := read(168, 40); b != nil {
			return cString(b), ""
		}
	}
	return uuid, label
}

func formatUUID(b []byte) string {
	if len(b) != 16 || bytes.Count(b, []byte{0}) == 16 {
		return ""
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// cString is a NUL-terminated field (raw: messages escape it).
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
