package xfs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/uimport/uimport/filesystem"
)

// Volume is an open XFS file system. Safe for concurrent use.
type Volume struct {
	sb    *superblock
	dev   device
	cache *blockCache
	dirs  dirIndexCache
}

var _ filesystem.Volume = (*Volume)(nil)

// Open reads the superblock of the XFS file system in r (size bytes).
func Open(r io.ReaderAt, size int64) (*Volume, error) {
	sb, err := readSuperblock(r, size)
	if err != nil {
		return nil, err
	}
	return &Volume{sb: sb, dev: device{r: r, size: size}, cache: newBlockCache(int(sb.blockSize))}, nil
}

// OpenFS opens the file system and serves it as an io/fs file system.
func OpenFS(r io.ReaderAt, size int64) (*filesystem.FS, *Volume, error) {
	v, err := Open(r, size)
	if err != nil {
		return nil, nil, err
	}
	return filesystem.New(v), v, nil
}

// Root is the root directory.
func (v *Volume) Root() (filesystem.Node, error) {
	in, err := v.inode(v.sb.rootIno)
	if err != nil {
		return filesystem.Node{}, err
	}
	if in.Mode&sIFMT != sIFDIR {
		return filesystem.Node{}, corruptf("root inode %d is not a directory", in.Ino)
	}
	return in.node(), nil
}

var errNotXFSNode = errors.New("xfs: node does not come from this reader")

func inodeOf(n filesystem.Node) (*Inode, error) {
	in, ok := n.Sys.(*Inode)
	if !ok || in == nil {
		return nil, errNotXFSNode
	}
	return in, nil
}

// entries calls visit for each entry of directory in (without "." and
// "..") until it returns false.
func (v *Volume) entries(in *Inode, visit func(filesystem.Entry) bool) error {
	if in.Mode&sIFMT != sIFDIR {
		return corruptf("inode %d is not a directory", in.Ino)
	}
	switch in.Format {
	case fmtLocal:
		return v.shortformDir(in, visit)
	case fmtExtents, fmtBtree:
		return v.blockDirs(in, visit)
	}
	return corruptf("directory inode %d: data fork format %d", in.Ino, in.Format)
}

// ReadDir lists dir, at most filesystem.MaxDirEntries entries.
func (v *Volume) ReadDir(dir filesystem.Node) ([]filesystem.Entry, error) {
	in, err := inodeOf(dir)
	if err != nil {
		return nil, err
	}
	var out []filesystem.Entry
	tooMany := false
	err = v.entries(in, func(e filesystem.Entry) bool {
		if len(out) >= filesystem.MaxDirEntries {
			tooMany = true
			return false
		}
		out = append(out, e)
		return true
	})
	if err == nil && tooMany {
		err = filesystem.ErrTooMany
	}
	return out, err
}

// Lookup finds name in dir.
func (v *Volume) Lookup(dir filesystem.Node, name string) (filesystem.Node, error) {
	in, err := inodeOf(dir)
	if err != nil {
		return filesystem.Node{}, err
	}
	ino, err := v.lookupIno(in, name)
	if err != nil {
		return filesystem.Node{}, err
	}
	child, err := v.inode(ino)
	if err != nil {
		return filesystem.Node{}, err
	}
	return child.node(), nil
}

// Open returns a regular file's contents.
func (v *Volume) Open(n filesystem.Node) (io.ReaderAt, error) {
	in, err := inodeOf(n)
	if err != nil {
		return nil, err
	}
	if in.Mode&sIFMT != sIFREG {
		return nil, fs.ErrInvalid
	}
	if in.Flags&diFlagRealtime != 0 {
		return nil, fmt.Errorf("xfs: inode %d keeps its data on a realtime device, which is not read", in.Ino)
	}
	switch in.Format {
	case fmtExtents, fmtBtree:
		ext, err := v.extents(in)
		if err != nil {
			return nil, err
		}
		return &fileReader{v: v, ext: ext, size: in.Size}, nil
	case fmtLocal:
		// Linux never stores file data inline, but the bytes are there.
		if in.Size > int64(len(in.fork)) {
			return nil, corruptf("inode %d: %d bytes inline in a %d-byte fork", in.Ino, in.Size, len(in.fork))
		}
		return bytes.NewReader(in.fork[:in.Size]), nil
	}
	return nil, corruptf("inode %d: data fork format %d for a regular file", in.Ino, in.Format)
}

// ReadLink returns a symbolic link's target.
func (v *Volume) ReadLink(n filesystem.Node) (string, error) {
	in, err := inodeOf(n)
	if err != nil {
		return "", err
	}
	if in.Mode&sIFMT != sIFLNK {
		return "", fs.ErrInvalid
	}
	return v.readLink(in)
}
