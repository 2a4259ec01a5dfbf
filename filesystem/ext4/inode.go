package ext4

import (
	"encoding/binary"
	"time"

	"github.com/uimport/uimport/filesystem"
)

// Inode flags this reader acts on.
const (
	flagEncrypt    = 0x800
	flagHugeFile   = 0x40000
	flagExtents    = 0x80000
	flagInlineData = 0x10000000
	flagCasefold   = 0x40000000
)

// Inode is a parsed on-disk inode; filesystem.Node.Sys holds one.
type Inode struct {
	Ino     uint64
	Mode    uint16 // i_mode: type and permission bits as stored
	UID     uint32
	GID     uint32
	Links   uint16
	Flags   uint32
	Size    uint64
	ModTime time.Time

	blocks512 uint64 // i_blocks in 512-byte units
	fileACL   uint64 // the external xattr block, if any
	raw       []byte // the whole on-disk inode (inode size bytes)
}

// iBlock is the 60-byte i_block area: block map, extent root, fast
// symlink target or the first part of inline data.
func (in *Inode) iBlock() []byte { return in.raw[0x28:0x64] }

// inodeReadAhead is how many inode table blocks one inode read brings in.
const inodeReadAhead = 8

// inodeTable returns the first block of group g's inode table and its
// length in blocks.
func (v *Volume) inodeTable(g uint64) (first, blocks uint64, err error) {
	perBlock := uint64(v.sb.blockSize / v.sb.descSize)
	b, err := v.cache.block(v.sb.descriptorBlock(g / perBlock))
	if err != nil {
		return 0, 0, err
	}
	d := b[(g%perBlock)*uint64(v.sb.descSize):]
	table := uint64(binary.LittleEndian.Uint32(d[0x8:]))
	if v.sb.descSize >= 64 {
		table |= uint64(binary.LittleEndian.Uint32(d[0x28:])) << 32
	}
	tableBlocks := (uint64(v.sb.inodesPerGroup)*uint64(v.sb.inodeSize) + uint64(v.sb.blockSize) - 1) / uint64(v.sb.blockSize)
	if table == 0 || table >= v.sb.blocksCount || tableBlocks > v.sb.blocksCount-table {
		return 0, 0, corrupt("group %d: inode table at block %d", g, table)
	}
	return table, tableBlocks, nil
}

// readInode reads and parses inode ino.
func (v *Volume) readInode(ino uint64) (*Inode, error) {
	if ino == 0 || ino > uint64(v.sb.inodesCount) {
		return nil, corrupt("inode %d out of range 1-%d", ino, v.sb.inodesCount)
	}
	g := (ino - 1) / uint64(v.sb.inodesPerGroup)
	table, tableBlocks, err := v.inodeTable(g)
	if err != nil {
		return nil, err
	}
	off := ((ino - 1) % uint64(v.sb.inodesPerGroup)) * uint64(v.sb.inodeSize)
	blk := table + off/uint64(v.sb.blockSize)
	if v.cache.get(blk) == nil {
		// Read ahead: a directory's children tend to be its neighbours in
		// the table, and one larger read beats several small remote ones.
		_ = v.cache.load(blk, min(inodeReadAhead, table+tableBlocks-blk)) // a failure shows below
	}
	b, err := v.cache.block(blk)
	if err != nil {
		return nil, err
	}
	// inodeSize divides blockSize, so the inode never straddles blocks.
	start := off % uint64(v.sb.blockSize)
	raw := append([]byte(nil), b[start:start+uint64(v.sb.inodeSize)]...)
	in := v.parseInode(ino, raw)
	// Logical block numbers are 32-bit, which bounds every file's size.
	if in.Size > uint64(v.sb.blockSize)<<32 {
		return nil, corrupt("inode %d: size %d", ino, in.Size)
	}
	return in, nil
}

func (v *Volume) parseInode(ino uint64, raw []byte) *Inode {
	le := binary.LittleEndian
	in := &Inode{
		Ino:     ino,
		Mode:    le.Uint16(raw[0x0:]),
		UID:     uint32(le.Uint16(raw[0x2:])) | uint32(le.Uint16(raw[0x78:]))<<16,
		GID:     uint32(le.Uint16(raw[0x18:])) | uint32(le.Uint16(raw[0x7A:]))<<16,
		Links:   le.Uint16(raw[0x1A:]),
		Flags:   le.Uint32(raw[0x20:]),
		Size:    uint64(le.Uint32(raw[0x4:])) | uint64(le.Uint32(raw[0x6C:]))<<32,
		fileACL: uint64(le.Uint32(raw[0x68:])) | uint64(le.Uint16(raw[0x76:]))<<32,
		raw:     raw,
	}
	in.blocks512 = uint64(le.Uint32(raw[0x1C:]))
	if v.sb.roCompat&roCompatHugeFile != 0 {
		in.blocks512 |= uint64(le.Uint16(raw[0x74:])) << 32
		if in.Flags&flagHugeFile != 0 { // counted in file system blocks
			in.blocks512 *= uint64(v.sb.blockSize / 512)
		}
	}
	// mtime is signed 32-bit seconds; a large inode extends it with two
	// epoch bits and nanoseconds.
	sec, nsec := int64(int32(le.Uint32(raw[0x10:]))), int64(0)
	if extra := v.extraSize(in); extra >= 0x88+4-0x80 {
		x := le.Uint32(raw[0x88:])
		sec += int64(x&3) << 32
		nsec = int64(x >> 2)
		if nsec > 999999999 {
			nsec = 0
		}
	}
	in.ModTime = time.Unix(sec, nsec).UTC()
	return in
}

// extraSize is i_extra_isize when it is sane, else 0.
func (v *Volume) extraSize(in *Inode) int {
	if len(in.raw) <= 128 {
		return 0
	}
	extra := int(binary.LittleEndian.Uint16(in.raw[0x80:]))
	if extra%4 != 0 || 128+extra > len(in.raw) {
		return 0
	}
	return extra
}

// Type bits of i_mode.
const (
	modeDir     = 0x4000
	modeRegular = 0x8000
	modeSymlink = 0xA000
)

func (in *Inode) isDir() bool     { return in.Mode&0xF000 == modeDir }
func (in *Inode) isRegular() bool { return in.Mode&0xF000 == modeRegular }
func (in *Inode) isSymlink() bool { return in.Mode&0xF000 == modeSymlink }

func (in *Inode) node() filesystem.Node {
	return filesystem.Node{Ino: in.Ino, Mode: filesystem.UnixMode(in.Mode), Size: int64(in.Size), ModTime: in.ModTime, Sys: in}
}

// inodeOf returns n's parsed inode, reading it again when n did not come
// from this reader.
func (v *Volume) inodeOf(n filesystem.Node) (*Inode, error) {
	if in, ok := n.Sys.(*Inode); ok && in != nil && in.Ino == n.Ino && len(in.raw) == int(v.sb.inodeSize) {
		return in, nil
	}
	return v.readInode(n.Ino)
}
