package xfs

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"

	"github.com/uimport/uimport/filesystem"
)

const fsName = "xfs"

func corruptf(format string, args ...any) error { return filesystem.Corruptf(fsName, format, args...) }

// Superblock fields as they appear in the primary superblock (big-endian).
type superblock struct {
	blockSize  uint32
	dblocks    uint64
	uuid       [16]byte
	rootIno    uint64
	logStart   uint64 // file system block of an internal log, else 0
	logBlocks  uint32
	agBlocks   uint32
	agCount    uint32
	version    uint16 // 4 or 5
	versionNum uint16 // the whole sb_versionnum, feature bits included
	sectSize   uint16
	inodeSize  uint16
	inoPBlock  uint16
	label      string
	blockLog   uint8
	inodeLog   uint8
	inoPBLog   uint8
	agBlkLog   uint8
	dirBlkLog  uint8
	features2  uint32
	roCompat   uint32
	incompat   uint32
}

// Feature bits this reader acts on or reports.
const (
	versionNumMask = 0x000f
	vAttrBit       = 0x0010
	vNlinkBit      = 0x0020
	vQuotaBit      = 0x0040
	vAlignBit      = 0x0080
	vDAlignBit     = 0x0100
	vLogV2Bit      = 0x0400
	vSectorBit     = 0x0800
	vExtFlgBit     = 0x1000
	vDirV2Bit      = 0x2000
	vMoreBitsBit   = 0x8000

	f2LazySBCount = 0x0002
	f2Attr2       = 0x0008
	f2ProjID32    = 0x0080
	f2CRC         = 0x0100
	f2FType       = 0x0200

	roFinobt   = 0x1
	roRmapbt   = 0x2
	roReflink  = 0x4
	roInobtcnt = 0x8

	inFType     = 0x01
	inSpinodes  = 0x02
	inMetaUUID  = 0x04
	inBigtime   = 0x08
	inNeedsRep  = 0x10
	inNrext64   = 0x20
	inExchRange = 0x40
	inParent    = 0x80
	// Incompat features whose on-disk changes this reader understands
	// (or that do not touch what it reads); newer ones (metadir, 0x100,
	// and on) are refused rather than guessed at.
	inKnown = inFType | inSpinodes | inMetaUUID | inBigtime | inNeedsRep | inNrext64 | inExchRange | inParent
)

const sbSize = 264

func parseSuperblock(b []byte) (*superblock, error) {
	if len(b) < sbSize || string(b[0:4]) != "XFSB" {
		return nil, corruptf("no XFS superblock (magic XFSB)")
	}
	be := binary.BigEndian
	sb := &superblock{
		blockSize:  be.Uint32(b[4:]),
		dblocks:    be.Uint64(b[8:]),
		rootIno:    be.Uint64(b[56:]),
		logStart:   be.Uint64(b[48:]),
		logBlocks:  be.Uint32(b[96:]),
		agBlocks:   be.Uint32(b[84:]),
		agCount:    be.Uint32(b[88:]),
		versionNum: be.Uint16(b[100:]),
		sectSize:   be.Uint16(b[102:]),
		inodeSize:  be.Uint16(b[104:]),
		inoPBlock:  be.Uint16(b[106:]),
		blockLog:   b[120],
		inodeLog:   b[122],
		inoPBLog:   b[123],
		agBlkLog:   b[124],
		dirBlkLog:  b[192],
		features2:  be.Uint32(b[200:]),
	}
	copy(sb.uuid[:], b[32:48])
	label := b[108:120]
	for i, c := range label {
		if c == 0 {
			label = label[:i]
			break
		}
	}
	sb.label = string(label)
	sb.version = sb.versionNum & versionNumMask
	switch sb.version {
	case 5:
		sb.roCompat = be.Uint32(b[212:])
		sb.incompat = be.Uint32(b[216:])
		if sb.incompat&^inKnown != 0 {
			return nil, fmt.Errorf("xfs: unsupported incompatible features %#x", sb.incompat&^inKnown)
		}
	case 4:
		if sb.versionNum&vDirV2Bit == 0 {
			return nil, fmt.Errorf("xfs: version 1 directories (IRIX era) are not supported")
		}
	default:
		return nil, corruptf("superblock version %d (want 4 or 5)", sb.version)
	}
	// The geometry must be self-consistent: every later bounds check
	// relies on these.
	switch {
	case sb.blockLog < 9 || sb.blockLog > 16 || sb.blockSize != 1<<sb.blockLog:
		return nil, corruptf("block size %d (log %d)", sb.blockSize, sb.blockLog)
	case sb.inodeLog < 8 || sb.inodeLog > 11 || uint32(sb.inodeSize) != 1<<sb.inodeLog || sb.inodeLog > sb.blockLog:
		return nil, corruptf("inode size %d (log %d)", sb.inodeSize, sb.inodeLog)
	case sb.inoPBLog != sb.blockLog-sb.inodeLog || uint32(sb.inoPBlock) != 1<<sb.inoPBLog:
		return nil, corruptf("inodes per block %d (log %d)", sb.inoPBlock, sb.inoPBLog)
	case sb.agCount == 0 || sb.agBlocks < 5 || sb.agBlkLog > 31 || uint32(bits.Len32(sb.agBlocks-1)) != uint32(sb.agBlkLog):
		return nil, corruptf("allocation groups: %d of %d blocks (log %d)", sb.agCount, sb.agBlocks, sb.agBlkLog)
	case sb.dblocks == 0 || sb.dblocks > uint64(sb.agCount)*uint64(sb.agBlocks) ||
		sb.dblocks <= uint64(sb.agCount-1)*uint64(sb.agBlocks):
		return nil, corruptf("%d data blocks in %d groups of %d", sb.dblocks, sb.agCount, sb.agBlocks)
	case sb.dblocks > uint64(1)<<(63-sb.blockLog):
		return nil, corruptf("%d data blocks", sb.dblocks)
	case int(sb.agBlkLog)+int(sb.inoPBLog) > 56:
		return nil, corruptf("inode number layout (agblklog %d, inopblog %d)", sb.agBlkLog, sb.inoPBLog)
	case int(sb.blockLog)+int(sb.dirBlkLog) > 16:
		return nil, corruptf("directory block size 2^%d", int(sb.blockLog)+int(sb.dirBlkLog))
	}
	return sb, nil
}

// hasFType: directory entries carry the file type.
func (sb *superblock) hasFType() bool {
	if sb.version == 5 {
		return sb.incompat&inFType != 0
	}
	return sb.versionNum&vMoreBitsBit != 0 && sb.features2&f2FType != 0
}

func (sb *superblock) isV5() bool { return sb.version == 5 }

func (sb *superblock) dirBlockSize() int { return int(sb.blockSize) << sb.dirBlkLog }

// features names the superblock's feature flags the way mkfs.xfs and
// xfs_info name them.
func (sb *superblock) features() []string {
	var out []string
	add := func(on bool, name string) {
		if on {
			out = append(out, name)
		}
	}
	if sb.version == 5 {
		out = append(out, "crc")
		add(sb.incompat&inFType != 0, "ftype")
		add(sb.roCompat&roFinobt != 0, "finobt")
		add(sb.roCompat&roRmapbt != 0, "rmapbt")
		add(sb.roCompat&roReflink != 0, "reflink")
		add(sb.roCompat&roInobtcnt != 0, "inobtcount")
		add(sb.incompat&inSpinodes != 0, "sparse")
		add(sb.incompat&inMetaUUID != 0, "metauuid")
		add(sb.incompat&inBigtime != 0, "bigtime")
		add(sb.incompat&inNeedsRep != 0, "needsrepair")
		add(sb.incompat&inNrext64 != 0, "nrext64")
		add(sb.incompat&inExchRange != 0, "exchange")
		add(sb.incompat&inParent != 0, "parent")
		return out
	}
	v := sb.versionNum
	add(v&vAttrBit != 0, "attr")
	add(v&vNlinkBit != 0, "nlink")
	add(v&vQuotaBit != 0, "quota")
	add(v&vAlignBit != 0, "align")
	add(v&vDAlignBit != 0, "dalign")
	add(v&vLogV2Bit != 0, "logv2")
	add(v&vSectorBit != 0, "sector")
	add(v&vExtFlgBit != 0, "extflg")
	if v&vMoreBitsBit != 0 {
		f := sb.features2
		add(f&f2LazySBCount != 0, "lazy-count")
		add(f&f2Attr2 != 0, "attr2")
		add(f&f2ProjID32 != 0, "projid32bit")
		add(f&f2FType != 0, "ftype")
	}
	return out
}

// Info describes the file system.
type Info struct {
	Version   int // 4 or 5
	UUID      string
	Label     string
	BlockSize int
	Features  []string
}

// Info describes the file system from its superblock.
func (v *Volume) Info() Info {
	u := v.sb.uuid
	return Info{
		Version:   int(v.sb.version),
		UUID:      fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]),
		Label:     v.sb.label,
		BlockSize: int(v.sb.blockSize),
		Features:  v.sb.features(),
	}
}

// readSuperblock reads and checks the primary superblock.
func readSuperblock(r io.ReaderAt, size int64) (*superblock, error) {
	if size < 512 {
		return nil, corruptf("device of %d bytes is too small", size)
	}
	b := make([]byte, 512)
	if _, err := r.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("xfs: reading the superblock: %w", err)
	}
	// A device shorter than the file system is only an error when a read
	// falls off its end.
	return parseSuperblock(b)
}
