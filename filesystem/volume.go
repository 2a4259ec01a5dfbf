// Package filesystem turns a read-only guest file system reader into an
// io/fs file system that resolves symbolic links inside the guest, and tells
// which file system a partition holds.
//
// Each reader (filesystem/ext4, filesystem/xfs) implements the small Volume
// interface: one directory lookup at a time. Path walking, symlinks (absolute
// targets are relative to the guest's root, loops end after MaxLinkHops) and
// the io/fs plumbing are written once, here. Every Volume method reads
// hostile bytes, so it must bound what it allocates and never panic.
package filesystem

import (
	"io"
	"io/fs"
	"time"
)

// Volume is one file system as its reader sees it: nodes (inodes) and
// single-step lookups. Implementations must be safe for concurrent use.
type Volume interface {
	// Root is the root directory.
	Root() (Node, error)
	// Lookup finds name (one path element, never "." or "..") in dir;
	// fs.ErrNotExist when it is absent.
	Lookup(dir Node, name string) (Node, error)
	// ReadDir lists dir without "." and "..". A reader caps the number of
	// entries it returns (MaxDirEntries) and says so with ErrTooMany.
	ReadDir(dir Node) ([]Entry, error)
	// Open returns a regular file's bytes; reads past n.Size return io.EOF.
	Open(n Node) (io.ReaderAt, error)
	// ReadLink returns a symbolic link's target.
	ReadLink(n Node) (string, error)
}

// Node is one file, directory or link.
type Node struct {
	Ino     uint64
	Mode    fs.FileMode // type bits (fs.ModeDir, fs.ModeSymlink, ...) and permissions
	Size    int64
	ModTime time.Time
	// Sys is the reader's own view of the node (its parsed inode).
	Sys any
}

// Entry is one directory entry. Type holds only the type bits; when a
// reader cannot tell them without reading the inode it sets
// fs.ModeIrregular and FS looks the entry up when asked.
type Entry struct {
	Name string
	Ino  uint64
	Type fs.FileMode
}

// Limits every reader and FS keep, whatever the image claims.
const (
	// MaxLinkHops bounds symlinks followed in one path, as Linux does.
	MaxLinkHops = 40
	// MaxLinkLen bounds a symlink target (PATH_MAX).
	MaxLinkLen = 4096
	// MaxDirEntries bounds one directory listing.
	MaxDirEntries = 1 << 16
	// MaxReadFile bounds ReadFile; larger files are read through Open.
	MaxReadFile = 32 << 20
)
