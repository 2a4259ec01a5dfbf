package xfs

import (
	"encoding/binary"
	"time"

	"github.com/uimport/uimport/filesystem"
)

// Data fork formats (di_format).
const (
	fmtDev     = 0
	fmtLocal   = 1
	fmtExtents = 2
	fmtBtree   = 3
)

// Inode flags2 bits this reader needs.
// diFlagRealtime: the file's data is on the realtime device, which this
// reader does not have.
const diFlagRealtime = 0x1

const (
	diFlag2Bigtime = 0x8
	diFlag2Nrext64 = 0x10
)

// Inode is the parsed core of an on-disk inode and its data fork bytes.
// It is filesystem.Node's Sys.
type Inode struct {
	Ino      uint64
	Mode     uint16 // S_IFMT and permission bits as on disk
	Version  uint8  // 1, 2 (v4 file systems) or 3 (v5)
	Format   uint8  // data fork format
	UID, GID uint32
	Nlink    uint32
	Size     int64
	Mtime    time.Time
	Extents  uint64 // data fork extent count
	Flags    uint16 // di_flags
	// fork is the data fork as stored in the inode (local data, an
	// extent list or a btree root).
	fork []byte
}

const (
	sIFMT  = 0o170000
	sIFLNK = 0o120000
	sIFREG = 0o100000
	sIFDIR = 0o040000
)

// inodeBlock finds the linear block holding ino and ino's byte offset in it.
func (v *Volume) inodeBlock(ino uint64) (uint64, int, error) {
	sb := v.sb
	agShift := uint(sb.agBlkLog) + uint(sb.inoPBLog)
	agno := ino >> agShift
	agbno := (ino >> sb.inoPBLog) & (1<<sb.agBlkLog - 1)
	idx := ino & (1<<sb.inoPBLog - 1)
	if agno >= uint64(sb.agCount) || agbno >= uint64(sb.agBlocks) {
		return 0, 0, corruptf("inode %d outside the allocation groups", ino)
	}
	blk := agno*uint64(sb.agBlocks) + agbno
	if blk >= sb.dblocks {
		return 0, 0, corruptf("inode %d beyond the end of the file system", ino)
	}
	return blk, int(idx) << sb.inodeLog, nil
}

// inode reads and checks inode ino.
func (v *Volume) inode(ino uint64) (*Inode, error) {
	blk, off, err := v.inodeBlock(ino)
	if err != nil {
		return nil, err
	}
	if v.cache.get(blk) == nil {
		// Inodes come in chunks of 64: read the neighbours too, since a
		// directory's children usually share its chunk (one request, not
		// one per block, when the device is remote).
		per := min(max(uint64(64)<<v.sb.inodeLog>>v.sb.blockLog, 1), uint64(maxMetaBlocks(int(v.sb.blockSize))))
		agStart := blk / uint64(v.sb.agBlocks) * uint64(v.sb.agBlocks)
		start := agStart + (blk-agStart)/per*per
		n := min(per, agStart+uint64(v.sb.agBlocks)-start, v.sb.dblocks-start)
		if _, err := v.blocks(start, int(n)); err != nil {
			return nil, err
		}
	}
	b, err := v.blocks(blk, 1)
	if err != nil {
		return nil, err
	}
	return v.parseInode(ino, b[off:off+int(v.sb.inodeSize)])
}

func (v *Volume) parseInode(ino uint64, b []byte) (*Inode, error) {
	be := binary.BigEndian
	if be.Uint16(b[0:]) != 0x494e { // "IN"
		return nil, corruptf("inode %d: bad magic", ino)
	}
	in := &Inode{
		Ino:     ino,
		Mode:    be.Uint16(b[2:]),
		Version: b[4],
		Format:  b[5],
		UID:     be.Uint32(b[8:]),
		GID:     be.Uint32(b[12:]),
		Size:    int64(be.Uint64(b[56:])),
		Flags:   be.Uint16(b[90:]),
	}
	coreSize := 100
	switch in.Version {
	case 1:
		in.Nlink = uint32(be.Uint16(b[6:]))
	case 2:
		in.Nlink = be.Uint32(b[16:])
	case 3:
		in.Nlink = be.Uint32(b[16:])
		coreSize = 176
		if be.Uint64(b[152:]) != ino {
			return nil, corruptf("inode %d: records itself as inode %d", ino, be.Uint64(b[152:]))
		}
	default:
		return nil, corruptf("inode %d: version %d", ino, in.Version)
	}
	if (in.Version == 3) != v.sb.isV5() {
		return nil, corruptf("inode %d: version %d on a version %d file system", ino, in.Version, v.sb.version)
	}
	if in.Size < 0 {
		return nil, corruptf("inode %d: size %d", ino, in.Size)
	}
	var flags2 uint64
	if in.Version == 3 {
		flags2 = be.Uint64(b[120:])
	}
	in.Mtime = inodeTime(be.Uint64(b[40:]), flags2&diFlag2Bigtime != 0)
	if flags2&diFlag2Nrext64 != 0 {
		in.Extents = be.Uint64(b[24:])
	} else {
		in.Extents = uint64(be.Uint32(b[76:]))
	}
	forkSize := len(b) - coreSize
	if forkOff := int(b[82]) * 8; forkOff != 0 {
		if forkOff > forkSize {
			return nil, corruptf("inode %d: attribute fork offset %d", ino, forkOff)
		}
		forkSize = forkOff
	}
	in.fork = b[coreSize : coreSize+forkSize]
	return in, nil
}

// inodeTime decodes an on-disk timestamp: seconds and nanoseconds, or with
// bigtime nanoseconds since 1901-12-13 (the old minimum, -2^31 s).
func inodeTime(raw uint64, bigtime bool) time.Time {
	if bigtime {
		const epochOffset = 1 << 31
		return time.Unix(int64(raw/1e9)-epochOffset, int64(raw%1e9)).UTC()
	}
	sec := int32(raw >> 32)
	nsec := uint32(raw)
	if nsec >= 1e9 {
		nsec = 0
	}
	return time.Unix(int64(sec), int64(nsec)).UTC()
}

// node turns an inode into a filesystem.Node.
func (in *Inode) node() filesystem.Node {
	return filesystem.Node{Ino: in.Ino, Mode: filesystem.UnixMode(in.Mode), Size: in.Size, ModTime: in.Mtime, Sys: in}
}
