package xfs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// needTool fails the test when a fixture tool is missing.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: run scripts/test-deps.sh", name)
	}
}

// Sizes of the directories in the source tree, chosen to make mkfs.xfs
// store each in a different format with 4 KiB directory blocks.
var dirSizes = map[string]int{
	"dirs/short": 5,    // short form, inside the inode
	"dirs/block": 40,   // one block (XD2B/XDB3)
	"dirs/leaf":  300,  // data blocks and one leaf block
	"dirs/node":  2500, // data blocks, leaf nodes and a da-btree
}

// longTarget is longer than any inode's data fork: a remote symlink.
var longTarget = strings.Repeat("very-long-directory-name/", 40) + "end"

// mediumTarget fits a v5 (512-byte) inode but not a v4 (256-byte) one.
var mediumTarget = strings.Repeat("m", 200)

// buildTree writes the source tree the images are made from.
func buildTree(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(rel, target string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	write("usr/lib/os-release", []byte("NAME=\"CentOS Linux\"\nVERSION_ID=\"7\"\nID=\"centos\"\n"))
	link("etc/os-release", "../usr/lib/os-release")
	link("lib", "usr/lib")
	link("etc/abs", "/usr/lib/os-release")
	link("etc/loop1", "loop2")
	link("etc/loop2", "loop1")
	link("remote-link", longTarget)
	link("medium-link", mediumTarget)
	write("usr/lib/modules/5.14.0/kernel/drivers/block/virtio_blk.ko.xz", []byte("\xfd7zXZ\x00fake module"))
	write("empty", nil)
	write(strings.Repeat("n", 255), []byte("longest name"))
	rng := rand.New(rand.NewPCG(1, 2))
	big := make([]byte, 4<<20+123)
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	write("big", big)
	// Btree blocks for the crafted btree test are taken from this file.
	write("filler", bytes.Repeat([]byte{0xAA}, 64<<10))
	for dir, n := range dirSizes {
		for i := range n {
			write(fmt.Sprintf("%s/entry-%05d", dir, i), []byte(fmt.Sprint(i)))
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	return root
}

// protofile describes the tree under root in mkfs.xfs's prototype
// language (see mkfs.xfs(8), -p): xfsprogs 6.1 cannot copy a directory
// itself. Names and targets must not hold spaces or colons.
func protofile(t testing.TB, root string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("fixture\n0 0\nd--755 0 0\n")
	var walk func(dir string)
	walk = func(dir string) {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			p := filepath.Join(dir, e.Name())
			fi, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(e.Name(), " :\t\n") {
				t.Fatalf("protofile cannot name %q", e.Name())
			}
			perm := fmt.Sprintf("%03o", fi.Mode().Perm())
			switch m := fi.Mode(); {
			case m.IsDir():
				fmt.Fprintf(&b, "%s d--%s 0 0\n", e.Name(), perm)
				walk(p)
				b.WriteString("$\n")
			case m&os.ModeSymlink != 0:
				target, err := os.Readlink(p)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%s l--%s 0 0 %s\n", e.Name(), perm, target)
			case m&os.ModeNamedPipe != 0:
				fmt.Fprintf(&b, "%s p--%s 0 0\n", e.Name(), perm)
			case m.IsRegular():
				fmt.Fprintf(&b, "%s ---%s 0 0 %s\n", e.Name(), perm, p)
			default:
				t.Fatalf("protofile: %s has mode %v", p, m)
			}
		}
	}
	walk(root)
	b.WriteString("$\n")
	return b.String()
}

// variant is one way of making the file system.
type variant struct {
	name    string
	version int
	args    []string
}

var variants = []variant{
	{"v5", 5, []string{"-m", "crc=1"}},
	{"v5-dir16k-ino1k-nrext64", 5, []string{"-m", "crc=1", "-n", "size=16384", "-i", "size=1024,nrext64=1"}},
	{"v4", 4, []string{"-m", "crc=0,finobt=0", "-n", "ftype=0"}},
	{"v4-ftype", 4, []string{"-m", "crc=0,finobt=0", "-n", "ftype=1"}},
}

// makeImage runs mkfs.xfs with the tree's protofile on a sparse 300 MiB
// file (about the smallest XFS mkfs.xfs accepts) and returns its path.
func makeImage(t testing.TB, root string, v variant) string {
	t.Helper()
	needTool(t, "mkfs.xfs")
	dir := t.TempDir()
	proto := filepath.Join(dir, "proto")
	if err := os.WriteFile(proto, []byte(protofile(t, root)), 0o644); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "xfs.img")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(300 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	args := slices.Concat([]string{"-f", "-q", "-K", "-L", "fixture", "-p", proto}, v.args, []string{img})
	if out, err := exec.Command("mkfs.xfs", args...).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.xfs %v: %v\n%s", args, err, out)
	}
	return img
}

// xfsDB runs xfs_db read-only on img and returns its output.
func xfsDB(t testing.TB, img string, cmds ...string) string {
	t.Helper()
	needTool(t, "xfs_db")
	args := []string{"-r"}
	for _, c := range cmds {
		args = append(args, "-c", c)
	}
	cmd := exec.Command("xfs_db", append(args, img)...)
	cmd.Env = append(os.Environ(), "TZ=UTC") // it prints times in local time
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xfs_db %v: %v\n%s", cmds, err, out)
	}
	return string(out)
}

// addSymlinkHeaders gives the remote symlinks of a v5 image the "XSLM"
// block header the kernel writes: mkfs.xfs 6.1 writes the bare target
// from a protofile, which xfs_repair and the kernel reject as corrupt.
func addSymlinkHeaders(t testing.TB, img string, names ...string) {
	t.Helper()
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	fsys, v, err := OpenFS(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if !v.sb.isV5() {
		return
	}
	for _, name := range names {
		fi, err := fsys.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		in := fi.Sys().(*Inode)
		if in.Format != fmtExtents {
			continue
		}
		ext, err := v.extents(in)
		if err != nil || len(ext) != 1 || ext[0].count != 1 {
			t.Fatalf("%s: extents %v, %v", name, ext, err)
		}
		bs := int64(v.sb.blockSize)
		blk := make([]byte, bs)
		if _, err := f.ReadAt(blk, int64(ext[0].blk)*bs); err != nil {
			t.Fatal(err)
		}
		target := slices.Clone(blk[:in.Size])
		clear(blk)
		be := binary.BigEndian
		copy(blk, "XSLM")
		be.PutUint32(blk[8:], uint32(len(target)))
		copy(blk[16:], v.sb.uuid[:])
		be.PutUint64(blk[32:], in.Ino)
		be.PutUint64(blk[40:], ext[0].blk*uint64(bs/512))
		copy(blk[symlinkHdrV5:], target)
		putCRC(blk, 12)
		if _, err := f.WriteAt(blk, int64(ext[0].blk)*bs); err != nil {
			t.Fatal(err)
		}
	}
}

// putCRC stores the CRC32c of b (with the checksum field zeroed) at off,
// little-endian, as XFS does.
func putCRC(b []byte, off int) {
	binary.LittleEndian.PutUint32(b[off:], 0)
	binary.LittleEndian.PutUint32(b[off:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}
