package ext4

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/uimport/uimport/filesystem"
)

// The superblock sits 1024 bytes into the volume, whatever the block size.
const (
	superblockOffset = 1024
	superblockSize   = 1024
	superMagic       = 0xEF53
	rootIno          = 2
	// maxExtentDepth is the kernel's EXT4_MAX_EXTENT_DEPTH.
	maxExtentDepth = 5
)

// Feature bits this reader acts on.
const (
	compatSparseSuper2 = 0x200

	incompatFiletype   = 0x2
	incompatJournalDev = 0x8
	incompatMetaBG     = 0x10
	incompat64bit      = 0x80

	roCompatSparseSuper = 0x1
	roCompatHugeFile    = 0x8
)

type featureName struct {
	bit  uint32
	name string
}

// Names as e2fsprogs prints them (dumpe2fs, tune2fs -O).
var (
	compatNames = []featureName{
		{0x1, "dir_prealloc"}, {0x2, "imagic_inodes"}, {0x4, "has_journal"},
		{0x8, "ext_attr"}, {0x10, "resize_inode"}, {0x20, "dir_index"},
		{0x40, "lazy_bg"}, {0x100, "snapshot_bitmap"}, {0x200, "sparse_super2"},
		{0x400, "fast_commit"}, {0x800, "stable_inodes"}, {0x1000, "orphan_file"},
	}
	incompatNames = []featureName{
		{0x1, "compression"}, {0x2, "filetype"}, {0x4, "needs_recovery"},
		{0x8, "journal_dev"}, {0x10, "meta_bg"}, {0x40, "extent"},
		{0x80, "64bit"}, {0x100, "mmp"}, {0x200, "flex_bg"}, {0x400, "ea_inode"},
		{0x1000, "dirdata"}, {0x2000, "metadata_csum_seed"}, {0x4000, "large_dir"},
		{0x8000, "inline_data"}, {0x10000, "encrypt"}, {0x20000, "casefold"},
	}
	roCompatNames = []featureName{
		{0x1, "sparse_super"}, {0x2, "large_file"}, {0x4, "btree_dir"},
		{0x8, "huge_file"}, {0x10, "uninit_bg"}, {0x20, "dir_nlink"},
		{0x40, "extra_isize"}, {0x80, "snapshot"}, {0x100, "quota"},
		{0x200, "bigalloc"}, {0x400, "metadata_csum"}, {0x800, "replica"},
		{0x1000, "read-only"}, {0x2000, "project"}, {0x4000, "shared_blocks"},
		{0x8000, "verity"}, {0x10000, "orphan_present"},
	}
	// Incompat features whose data this reader cannot interpret, or (for
	// needs_recovery) whose journal it does not replay, so what it reads
	// may be stale or unreadable. Unknown bits are reported too.
	incompatUnsupported = uint32(0x1 | 0x4 | 0x1000 | 0x10000)
)

// superblock holds the fields this reader uses, already checked.
type superblock struct {
	inodesCount    uint32
	blocksCount    uint64
	firstDataBlock uint32
	blockSize      uint32
	clusterRatio   uint32 // blocks per cluster (bigalloc), else 1
	blocksPerGroup uint32
	inodesPerGroup uint32
	inodeSize      uint32
	compat         uint32
	incompat       uint32
	roCompat       uint32
	uuid           [16]byte
	label          string
	descSize       uint32
	firstMetaBG    uint32
	backupBGs      [2]uint32
	journalIno     uint32
	groupCount     uint64
}

func corrupt(format string, args ...any) error {
	return filesystem.Corruptf("ext4", format, args...)
}

// parseSuperblock checks sb (the 1024 bytes at offset 1024) against itself
// and against imageSize, so later arithmetic on it cannot overflow.
func parseSuperblock(b []byte, imageSize int64) (*superblock, error) {
	if len(b) < superblockSize {
		return nil, corrupt("image too small for a superblock")
	}
	le := binary.LittleEndian
	if le.Uint16(b[0x38:]) != superMagic {
		return nil, corrupt("no ext2/3/4 superblock (bad magic)")
	}
	s := &superblock{
		inodesCount:    le.Uint32(b[0x0:]),
		blocksCount:    uint64(le.Uint32(b[0x4:])),
		firstDataBlock: le.Uint32(b[0x14:]),
		blocksPerGroup: le.Uint32(b[0x20:]),
		inodesPerGroup: le.Uint32(b[0x28:]),
		compat:         le.Uint32(b[0x5C:]),
		incompat:       le.Uint32(b[0x60:]),
		roCompat:       le.Uint32(b[0x64:]),
		firstMetaBG:    le.Uint32(b[0x104:]),
		journalIno:     le.Uint32(b[0xE0:]),
		backupBGs:      [2]uint32{le.Uint32(b[0x24C:]), le.Uint32(b[0x250:])},
	}
	copy(s.uuid[:], b[0x68:0x78])
	s.label = strings.ToValidUTF8(strings.TrimRight(string(b[0x78:0x88]), "\x00"), "?")

	logBlock := le.Uint32(b[0x18:])
	if logBlock > 6 { // 64 KiB is the largest block size ext4 knows
		return nil, corrupt("block size 2^%d KiB out of range", logBlock)
	}
	s.blockSize = 1024 << logBlock
	if s.incompat&incompatJournalDev != 0 {
		return nil, corrupt("this is an external journal device, not a file system")
	}
	s.clusterRatio = 1
	if s.roCompat&0x200 != 0 { // bigalloc
		logCluster := le.Uint32(b[0x1C:])
		if logCluster < logBlock || logCluster > logBlock+16 {
			return nil, corrupt("cluster size 2^%d KiB out of range", logCluster)
		}
		s.clusterRatio = 1 << (logCluster - logBlock)
	}
	if s.incompat&incompat64bit != 0 {
		s.blocksCount |= uint64(le.Uint32(b[0x150:])) << 32
		s.descSize = uint32(le.Uint16(b[0xFE:]))
		if s.descSize < 64 || s.descSize > 1024 || s.descSize&(s.descSize-1) != 0 {
			return nil, corrupt("group descriptor size %d", s.descSize)
		}
	} else {
		s.descSize = 32
	}
	if s.descSize > s.blockSize {
		return nil, corrupt("group descriptor size %d over block size %d", s.descSize, s.blockSize)
	}

	rev := le.Uint32(b[0x4C:])
	if rev == 0 { // the original format: fixed inode size
		s.inodeSize = 128
	} else {
		s.inodeSize = uint32(le.Uint16(b[0x58:]))
	}
	if s.inodeSize < 128 || s.inodeSize > s.blockSize || s.inodeSize&(s.inodeSize-1) != 0 {
		return nil, corrupt("inode size %d", s.inodeSize)
	}

	bs := uint64(s.blockSize)
	if s.blocksCount == 0 || s.blocksCount > uint64(1)<<48 {
		return nil, corrupt("block count %d", s.blocksCount)
	}
	if uint64(s.firstDataBlock) >= s.blocksCount || s.firstDataBlock > 1 {
		return nil, corrupt("first data block %d", s.firstDataBlock)
	}
	// A group's bitmap is one block, so it covers at most 8*blocksize
	// clusters.
	if s.blocksPerGroup == 0 || uint64(s.blocksPerGroup) > 8*bs*uint64(s.clusterRatio) {
		return nil, corrupt("%d blocks per group", s.blocksPerGroup)
	}
	if s.inodesPerGroup == 0 || uint64(s.inodesPerGroup) > 8*bs {
		return nil, corrupt("%d inodes per group", s.inodesPerGroup)
	}
	s.groupCount = (s.blocksCount - uint64(s.firstDataBlock) + uint64(s.blocksPerGroup) - 1) / uint64(s.blocksPerGroup)
	// The descriptors of all groups must fit in the image.
	if imageSize <= 0 || s.groupCount*uint64(s.descSize) > uint64(imageSize) {
		return nil, corrupt("%d block groups do not fit in a %d-byte image", s.groupCount, imageSize)
	}
	if s.inodesCount < rootIno || uint64(s.inodesCount) > s.groupCount*uint64(s.inodesPerGroup) {
		return nil, corrupt("inode count %d for %d groups of %d", s.inodesCount, s.groupCount, s.inodesPerGroup)
	}
	return s, nil
}

func (s *superblock) has64bit() bool { return s.incompat&incompat64bit != 0 }

// hasSuper tells whether group g holds a superblock backup (and, without
// meta_bg, a copy of the descriptors), as ext2fs_bg_has_super does.
func (s *superblock) hasSuper(g uint64) bool {
	switch {
	case g == 0:
		return true
	case s.compat&compatSparseSuper2 != 0:
		return g == uint64(s.backupBGs[0]) || g == uint64(s.backupBGs[1])
	case g <= 1 || s.roCompat&roCompatSparseSuper == 0:
		return true
	case g&1 == 0:
		return false
	}
	for _, base := range []uint64{3, 5, 7} {
		p := base
		for p < g {
			p *= base
		}
		if p == g {
			return true
		}
	}
	return false
}

// descriptorBlock is where the i-th block of group descriptors lives, as
// ext2fs_descriptor_block_loc2 computes it for the primary copy.
func (s *superblock) descriptorBlock(i uint64) uint64 {
	groupBlock := uint64(s.firstDataBlock)
	if groupBlock == 0 && s.blockSize == 1024 {
		groupBlock = 1 // 1 KiB blocks with bigalloc: the superblock is block 1
	}
	if s.incompat&incompatMetaBG == 0 || i < uint64(s.firstMetaBG) {
		return groupBlock + i + 1
	}
	// meta_bg: each meta group keeps its own descriptor block in its
	// first group, after that group's superblock backup if any.
	bg := uint64(s.blockSize/s.descSize) * i
	blk := uint64(s.firstDataBlock) + bg*uint64(s.blocksPerGroup)
	if s.hasSuper(bg) {
		blk++
	}
	if i == 0 && s.blockSize == 1024 && s.clusterRatio > 1 {
		blk++
	}
	return blk
}

// kind tells ext2, ext3 and ext4 apart the way filesystem.Detect does.
func (s *superblock) kind() filesystem.Kind {
	const ext3Incompat, ext3RoCompat = 0x2 | 0x4 | 0x8, 0x1 | 0x2 | 0x4
	switch {
	case s.incompat&^ext3Incompat != 0 || s.roCompat&^ext3RoCompat != 0:
		return filesystem.Ext4
	case s.compat&0x4 != 0:
		return filesystem.Ext3
	}
	return filesystem.Ext2
}

// Info describes a volume as dumpe2fs would summarise it.
type Info struct {
	Kind      filesystem.Kind
	UUID      string
	Label     string
	BlockSize int
	// Features are the superblock's feature flags by their e2fsprogs names.
	Features []string
	// Unsupported are the features present whose data this reader cannot
	// interpret (or, for needs_recovery, a journal it does not replay):
	// what it reads may be incomplete or stale.
	Unsupported []string
}

func (s *superblock) info() Info {
	inf := Info{
		Kind:      s.kind(),
		UUID:      formatUUID(s.uuid),
		Label:     s.label,
		BlockSize: int(s.blockSize),
	}
	add := func(set uint32, names []featureName, unsupported uint32, prefix string) {
		known := uint32(0)
		for _, f := range names {
			known |= f.bit
			if set&f.bit == 0 {
				continue
			}
			inf.Features = append(inf.Features, f.name)
			if unsupported&f.bit != 0 {
				inf.Unsupported = append(inf.Unsupported, f.name)
			}
		}
		for bit := uint32(1); bit != 0; bit <<= 1 {
			if set&bit != 0 && known&bit == 0 {
				name := fmt.Sprintf("%s_0x%x", prefix, bit)
				inf.Features = append(inf.Features, name)
				if prefix == "incompat" {
					inf.Unsupported = append(inf.Unsupported, name)
				}
			}
		}
	}
	add(s.compat, compatNames, 0, "compat")
	add(s.incompat, incompatNames, incompatUnsupported, "incompat")
	add(s.roCompat, roCompatNames, 0, "ro_compat")
	return inf
}

func formatUUID(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
