package guestimage

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// File system kinds FS can make.
const (
	Ext2   = "ext2"
	Ext3   = "ext3"
	Ext4   = "ext4"
	XFS    = "xfs"    // v5 (CRC)
	XFSv4  = "xfs-v4" // no CRC: CentOS 7's
	Btrfs  = "btrfs"
	NTFS   = "ntfs"
	VFAT   = "vfat"
	Swap   = "swap"
	NoFS   = "" // leave the space zero
	MiB    = int64(1) << 20
	xfsMin = 300 * MiB // mkfs.xfs refuses smaller file systems
)

// FS is a file system and what it holds.
type FS struct {
	Kind  string
	Size  int64 // bytes; 0 picks the kind's small default
	UUID  string
	Label string
	Tree  Tree // files to put in it (ext*, xfs, btrfs, vfat); ignored for ntfs and swap
}

func (f FS) size() int64 {
	if f.Size > 0 {
		return f.Size
	}
	switch f.Kind {
	case XFS, XFSv4:
		return xfsMin
	case Btrfs:
		return 128 * MiB
	case VFAT:
		return 34 * MiB
	}
	return 32 * MiB
}

// Tools lists the programs a disk spec needs, to check up front.
var Tools = []string{"mke2fs", "mkfs.xfs", "mkfs.btrfs", "mkntfs", "mkfs.vfat", "mcopy", "mkswap",
	"sfdisk", "sgdisk", "lvm", "losetup", "cpio", "gzip", "xz", "zstd", "lz4", "qemu-img"}

// MissingTools returns the Tools not on PATH.
func MissingTools() []string {
	var out []string
	for _, t := range Tools {
		if _, err := exec.LookPath(t); err != nil {
			out = append(out, t)
		}
	}
	return out
}

// run runs a tool, returning its output in the error.
func run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "LVM_SUPPRESS_FD_WARNINGS=1", "LC_ALL=C")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return nil
}

func output(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LVM_SUPPRESS_FD_WARNINGS=1", "LC_ALL=C")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errOut.String())
	}
	return b, nil
}

// Make builds the file system as a sparse file in work and returns its path.
func (f FS) Make(work string) (string, error) {
	dir, err := os.MkdirTemp(work, "fs-")
	if err != nil {
		return "", err
	}
	img := filepath.Join(dir, "fs.img")
	tree := filepath.Join(dir, "tree")
	if err := os.Mkdir(tree, 0o755); err != nil {
		return "", err
	}
	if err := f.Tree.Create(tree); err != nil {
		return "", err
	}
	if err := truncate(img, f.size()); err != nil {
		return "", err
	}
	switch f.Kind {
	case Ext2, Ext3, Ext4:
		args := []string{"-q", "-F", "-t", f.Kind, "-d", tree, "-b", "4096"}
		if f.UUID != "" {
			args = append(args, "-U", f.UUID)
		}
		if f.Label != "" {
			args = append(args, "-L", f.Label)
		}
		err = run("mke2fs", append(args, img)...)
	case XFS, XFSv4:
		proto := filepath.Join(dir, "proto")
		if err = writeProtofile(proto, tree); err != nil {
			return "", err
		}
		args := []string{"-q", "-f", "-p", proto}
		if f.Kind == XFSv4 {
			args = append(args, "-m", "crc=0")
		}
		if f.UUID != "" {
			args = append(args, "-m", "uuid="+f.UUID)
		}
		if f.Label != "" {
			args = append(args, "-L", f.Label)
		}
		err = run("mkfs.xfs", append(args, img)...)
	case Btrfs:
		args := []string{"-q", "-f", "-r", tree}
		if f.UUID != "" {
			args = append(args, "-U", f.UUID)
		}
		if f.Label != "" {
			args = append(args, "-L", f.Label)
		}
		err = run("mkfs.btrfs", append(args, img)...)
	case NTFS:
		args := []string{"-F", "-q", "-Q"}
		if f.Label != "" {
			args = append(args, "-L", f.Label)
		}
		err = run("mkntfs", append(args, img)...)
	case VFAT:
		args := []string{"-F", "32"}
		if f.UUID != "" {
			args = append(args, "-i", strings.ReplaceAll(f.UUID, "-", ""))
		}
		if f.Label != "" {
			args = append(args, "-n", f.Label)
		}
		if err = run("mkfs.vfat", append(args, img)...); err == nil && len(f.Tree) > 0 {
			entries, _ := os.ReadDir(tree)
			for _, e := range entries {
				if err = run("mcopy", "-s", "-i", img, filepath.Join(tree, e.Name()), "::"); err != nil {
					break
				}
			}
		}
	case Swap:
		args := []string{"-q"}
		if f.UUID != "" {
			args = append(args, "-U", f.UUID)
		}
		if f.Label != "" {
			args = append(args, "-L", f.Label)
		}
		err = run("mkswap", append(args, img)...)
	case NoFS:
	default:
		return "", fmt.Errorf("guestimage: unknown file system %q", f.Kind)
	}
	if err != nil {
		return "", err
	}
	os.RemoveAll(tree)
	return img, nil
}

func truncate(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Truncate(size)
}

// writeProtofile writes mkfs.xfs's prototype file for the tree under dir
// (xfsprogs 6.1 has no -p file=DIR). Names must not contain spaces.
func writeProtofile(proto, dir string) error {
	var b strings.Builder
	b.WriteString("/dev/null\n0 0\nd--755 0 0\n")
	if err := protoDir(&b, dir, 1); err != nil {
		return err
	}
	b.WriteString("$\n")
	return os.WriteFile(proto, []byte(b.String()), 0o644)
}

func protoDir(b *strings.Builder, dir string, depth int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	ind := strings.Repeat(" ", depth)
	for _, e := range entries {
		name := e.Name()
		if strings.ContainsAny(name, " \t\n$") {
			return fmt.Errorf("guestimage: protofile cannot hold the name %q", name)
		}
		full := filepath.Join(dir, name)
		info, err := os.Lstat(full)
		if err != nil {
			return err
		}
		mode := fmt.Sprintf("%03o", uint32(info.Mode().Perm()))
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			target, err := os.Readlink(full)
			if err != nil {
				return err
			}
			fmt.Fprintf(b, "%s%s l--777 0 0 %s\n", ind, name, target)
		case info.IsDir():
			fmt.Fprintf(b, "%s%s d--%s 0 0\n", ind, name, mode)
			if err := protoDir(b, full, depth+1); err != nil {
				return err
			}
			fmt.Fprintf(b, "%s$\n", ind)
		default:
			fmt.Fprintf(b, "%s%s ---%s 0 0 %s\n", ind, name, mode, full)
		}
	}
	return nil
}
