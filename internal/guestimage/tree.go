// Package guestimage builds whole guest disk images for tests, with the
// real tools (mke2fs -d, mkfs.xfs -p, mkfs.btrfs -r, mkntfs, sfdisk,
// sgdisk, lvm on a loop device, cpio, gzip/xz/zstd/lz4, qemu-img) and
// nothing mounted. A test describes a disk (partitions, file systems and
// the files in them) or takes one of the distribution scenarios, and gets
// a sparse raw image, optionally converted to qcow2, VMDK or VHD.
//
// It is for tests and for cmd/make-demo-images (the demo simulator's
// guest disks) only: it runs external programs and writes tens to
// hundreds of MiB (sparse) under the directory it is given.
package guestimage

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Tree is a directory tree: guest path ("etc/os-release") → entry.
// Parent directories are created as needed.
type Tree map[string]Entry

// Entry is a regular file, a symlink or an empty directory.
type Entry struct {
	Data []byte
	Link string // symlink target when not ""
	Dir  bool
	Mode fs.FileMode // permission bits; 0644 / 0755 when 0
}

// File is a regular file with this text.
func File(text string) Entry { return Entry{Data: []byte(text)} }

// Bytes is a regular file with these bytes.
func Bytes(b []byte) Entry { return Entry{Data: b} }

// Link is a symbolic link to target.
func Link(target string) Entry { return Entry{Link: target} }

// Dir is an empty directory.
func Dir() Entry { return Entry{Dir: true} }

// Merge copies other into t under prefix ("boot" puts other's
// "vmlinuz-x" at "boot/vmlinuz-x").
func (t Tree) Merge(prefix string, other Tree) {
	for p, e := range other {
		if prefix != "" {
			p = prefix + "/" + p
		}
		t[p] = e
	}
}

// paths returns the tree's paths, parents first.
func (t Tree) paths() []string {
	out := make([]string, 0, len(t))
	for p := range t {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Create writes the tree under dir.
func (t Tree) Create(dir string) error {
	for _, p := range t.paths() {
		e := t[p]
		if strings.HasPrefix(p, "/") || strings.Contains("/"+p+"/", "/../") {
			return fmt.Errorf("guestimage: bad path %q", p)
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		switch {
		case e.Link != "":
			if err := os.Symlink(e.Link, full); err != nil {
				return err
			}
		case e.Dir:
			if err := os.MkdirAll(full, perm(e.Mode, 0o755)); err != nil {
				return err
			}
		default:
			if err := os.WriteFile(full, e.Data, perm(e.Mode, 0o644)); err != nil {
				return err
			}
		}
	}
	return nil
}

func perm(m, def fs.FileMode) fs.FileMode {
	if m&fs.ModePerm == 0 {
		return def
	}
	return m & fs.ModePerm
}
