// Package ext4 reads ext2, ext3 and ext4 file systems, read-only, from an
// io.ReaderAt: block maps and extent trees, htree directories (read
// linearly), inline data, bigalloc, 64bit and meta_bg descriptors, fast
// and slow symlinks. A journal left needing recovery is replayed in
// memory; checksums are not verified.
// It implements filesystem.Volume, so filesystem.New serves it as an
// io/fs with symlinks resolved inside the guest. Every structure is
// checked before use: the image is untrusted.
package ext4

import (
	"bytes"
	"io"
	"io/fs"
	"slices"

	"github.com/uimport/uimport/filesystem"
)

// Volume is an open ext2/3/4 file system. It is safe for concurrent use.
type Volume struct {
	sb    *superblock
	cache *blockCache
	dirs  *dirCache
	// replayed: the journal needed recovery and is replayed in memory.
	replayed bool
}

var _ filesystem.Volume = (*Volume)(nil)

// Open reads the superblock of the file system in r (size bytes). It
// returns a *filesystem.CorruptError when r does not hold one it can read.
func Open(r io.ReaderAt, size int64) (*Volume, error) {
	if size < superblockOffset+superblockSize {
		return nil, corrupt("image of %d bytes is too small", size)
	}
	b := make([]byte, superblockSize)
	if n, err := r.ReadAt(b, superblockOffset); n != len(b) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	sb, err := parseSuperblock(b, size)
	if err != nil {
		return nil, err
	}
	v := &Volume{sb: sb, cache: newBlockCache(r, size, sb), dirs: newDirCache()}
	// A journal that cannot be replayed leaves needs_recovery in
	// Info().Unsupported; the file system is still read as it is.
	if copies, err := v.replayJournal(); err == nil && copies != nil {
		v.cache = newBlockCache(r, size, sb) // drop blocks read before the replay
		v.cache.journal = copies
		v.replayed = true
	}
	root, err := v.readInode(rootIno)
	if err != nil {
		return nil, err
	}
	if !root.isDir() {
		return nil, corrupt("root inode is not a directory")
	}
	return v, nil
}

// OpenFS opens the file system in r and serves it as an io/fs.
func OpenFS(r io.ReaderAt, size int64) (*filesystem.FS, *Volume, error) {
	v, err := Open(r, size)
	if err != nil {
		return nil, nil, err
	}
	return filesystem.New(v), v, nil
}

// Info describes the file system.
func (v *Volume) Info() Info {
	inf := v.sb.info()
	if v.replayed {
		inf.Unsupported = slices.DeleteFunc(inf.Unsupported, func(f string) bool { return f == "needs_recovery" })
	}
	return inf
}

// Root is the root directory.
func (v *Volume) Root() (filesystem.Node, error) {
	in, err := v.readInode(rootIno)
	if err != nil {
		return filesystem.Node{}, err
	}
	return in.node(), nil
}

// Lookup finds name in dir. In a casefolded directory a name that is not
// found as spelt is matched ignoring case.
func (v *Volume) Lookup(dir filesystem.Node, name string) (filesystem.Node, error) {
	in, err := v.inodeOf(dir)
	if err != nil {
		return filesystem.Node{}, err
	}
	d, err := v.index(in)
	if err != nil {
		return filesystem.Node{}, err
	}
	ino, ok := d.find(name)
	if !ok {
		if d.err != nil {
			return filesystem.Node{}, d.err
		}
		return filesystem.Node{}, fs.ErrNotExist
	}
	child, err := v.readInode(ino)
	if err != nil {
		return filesystem.Node{}, err
	}
	return child.node(), nil
}

// ReadDir lists dir without "." and "..", at most MaxDirEntries entries.
func (v *Volume) ReadDir(dir filesystem.Node) ([]filesystem.Entry, error) {
	in, err := v.inodeOf(dir)
	if err != nil {
		return nil, err
	}
	var out []filesystem.Entry
	tooMany := false
	err = v.eachEntry(in, func(name []byte, ino uint64, fileType uint8) bool {
		if string(name) == "." || string(name) == ".." {
			return true
		}
		if len(out) == filesystem.MaxDirEntries {
			tooMany = true
			return false
		}
		typ := filesystem.DirentType(fileType)
		if typ == fs.ModeIrregular {
			// No file type in the entry (ext2 without filetype): the inode
			// has it, and is cheaper to read than a Lookup by name.
			if child, err := v.readInode(ino); err == nil {
				typ = filesystem.UnixMode(child.Mode).Type()
			}
		}
		out = append(out, filesystem.Entry{Name: string(name), Ino: ino, Type: typ})
		return true
	})
	if tooMany && err == nil {
		err = filesystem.ErrTooMany
	}
	return out, err
}

// Open returns a regular file's bytes.
func (v *Volume) Open(n filesystem.Node) (io.ReaderAt, error) {
	in, err := v.inodeOf(n)
	if err != nil {
		return nil, err
	}
	if !in.isRegular() {
		return nil, corrupt("inode %d is not a regular file", in.Ino)
	}
	if in.Flags&flagEncrypt != 0 {
		return nil, ErrEncrypted
	}
	if in.Flags&flagInlineData != 0 {
		data, err := v.inlineData(in)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(data), nil
	}
	return &dataReader{v: v, in: in}, nil
}

// ReadLink returns a symbolic link's target.
func (v *Volume) ReadLink(n filesystem.Node) (string, error) {
	in, err := v.inodeOf(n)
	if err != nil {
		return "", err
	}
	return v.readLink(in)
}
