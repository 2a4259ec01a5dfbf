package xfs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/filesystem"
)

func openImage(t testing.TB, img string) (*filesystem.FS, *Volume) {
	t.Helper()
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	fsys, v, err := OpenFS(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return fsys, v
}

// TestImages builds each variant with mkfs.xfs and compares everything
// the reader sees with the source tree.
func TestImages(t *testing.T) {
	src := buildTree(t)
	for _, vt := range variants {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			img := makeImage(t, src, vt)
			addSymlinkHeaders(t, img, "remote-link", "medium-link")
			fsys, v := openImage(t, img)
			checkInfo(t, v, vt)
			checkEntryTypes(t, v)
			compareTree(t, fsys, src)
			checkSymlinks(t, fsys, v)
			checkDirFormats(t, fsys, v)
			compareXFSDB(t, fsys, img)
			compareInodes(t, fsys, img)
		})
	}
}

func checkInfo(t *testing.T, v *Volume, vt variant) {
	info := v.Info()
	if info.Version != vt.version || info.Label != "fixture" || info.BlockSize != 4096 || len(info.UUID) != 36 {
		t.Errorf("Info = %+v", info)
	}
	if clean, err := v.LogClean(); !clean || err != nil {
		t.Errorf("LogClean = %v, %v on a fresh file system", clean, err)
	}
	wantFType := !slices.Contains(vt.args, "ftype=0")
	if slices.Contains(info.Features, "ftype") != wantFType || slices.Contains(info.Features, "crc") != (vt.version == 5) {
		t.Errorf("features %v for mkfs.xfs %v", info.Features, vt.args)
	}
}

// compareTree walks the source and checks every name, type, permission,
// size, content and link target through the io/fs view.
func compareTree(t *testing.T, fsys *filesystem.FS, src string) {
	count := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		rel = filepath.ToSlash(rel)
		want, err := os.Lstat(p)
		if err != nil {
			return err
		}
		got, err := fsys.Lstat(rel)
		if err != nil {
			t.Errorf("Lstat(%s): %v", rel, err)
			return nil
		}
		count++
		if got.Mode() != want.Mode() {
			t.Errorf("%s: mode %v, want %v", rel, got.Mode(), want.Mode())
		}
		switch m := want.Mode(); {
		case m.IsRegular():
			data, err := fsys.ReadFile(rel)
			wantData, _ := os.ReadFile(p)
			if err != nil || !bytes.Equal(data, wantData) || got.Size() != want.Size() {
				t.Errorf("%s: %d bytes (size %d), err %v; want %d bytes", rel, len(data), got.Size(), err, len(wantData))
			}
		case m&fs.ModeSymlink != 0:
			target, err := fsys.ReadLink(rel)
			wantTarget, _ := os.Readlink(p)
			if err != nil || target != wantTarget {
				t.Errorf("ReadLink(%s) = %q, %v; want %q", rel, target, err, wantTarget)
			}
		case m.IsDir():
			ents, err := fsys.ReadDir(rel)
			if err != nil {
				t.Errorf("ReadDir(%s): %v", rel, err)
				return nil
			}
			wantEnts, _ := os.ReadDir(p)
			if len(ents) != len(wantEnts) {
				t.Errorf("ReadDir(%s): %d entries, want %d", rel, len(ents), len(wantEnts))
				return nil
			}
			for i, e := range ents {
				if e.Name() != wantEnts[i].Name() || e.Type() != wantEnts[i].Type() {
					t.Errorf("ReadDir(%s)[%d] = %s %v, want %s %v", rel, i, e.Name(), e.Type(), wantEnts[i].Name(), wantEnts[i].Type())
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count < 2800 {
		t.Errorf("compared %d paths", count)
	}
}

func checkSymlinks(t *testing.T, fsys *filesystem.FS, v *Volume) {
	want := "NAME=\"CentOS Linux\"\nVERSION_ID=\"7\"\nID=\"centos\"\n"
	for _, p := range []string{"etc/os-release", "lib/os-release", "etc/abs", "usr/lib/os-release"} {
		if got, err := fsys.ReadFile(p); err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v", p, got, err)
		}
	}
	if _, err := fsys.ReadFile("lib/modules/5.14.0/kernel/drivers/block/virtio_blk.ko.xz"); err != nil {
		t.Errorf("through the lib symlink: %v", err)
	}
	if _, err := fsys.Stat("etc/loop1"); !errors.Is(err, filesystem.ErrLinkLoop) {
		t.Errorf("Stat(etc/loop1) = %v, want a link loop", err)
	}
	// Where each target lives depends on the inode size.
	remote, _ := fsys.Lstat("remote-link")
	medium, _ := fsys.Lstat("medium-link")
	if remote.Sys().(*Inode).Format != fmtExtents {
		t.Errorf("remote-link is stored in format %d", remote.Sys().(*Inode).Format)
	}
	wantMedium := uint8(fmtLocal)
	if v.sb.inodeSize == 256 {
		wantMedium = fmtExtents
	}
	if got := medium.Sys().(*Inode).Format; got != wantMedium {
		t.Errorf("medium-link is stored in format %d, want %d", got, wantMedium)
	}
}

// checkDirFormats makes sure the fixture directories really are in the
// four formats: short form, one block, leaf (a leaf block but no
// free-index block) and node (with free-index blocks at 64 GiB).
func checkDirFormats(t *testing.T, fsys *filesystem.FS, v *Volume) {
	const freeOffset = 2 * dirLeafOffset
	for dir, n := range dirSizes {
		fi, err := fsys.Lstat(dir)
		if err != nil {
			t.Fatal(err)
		}
		in := fi.Sys().(*Inode)
		var data, leaf, free int
		if in.Format != fmtLocal {
			ext, err := v.extents(in)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ext {
				switch off := e.off * uint64(v.sb.blockSize); {
				case off >= freeOffset:
					free++
				case off >= dirLeafOffset:
					leaf++
				default:
					data++
				}
			}
		}
		var ok bool
		switch n {
		case dirSizes["dirs/short"]:
			ok = in.Format == fmtLocal
		case dirSizes["dirs/block"]:
			ok = in.Format == fmtExtents && data == 1 && leaf == 0 && in.Size == int64(v.sb.dirBlockSize()) ||
				in.Format == fmtLocal && v.sb.inodeSize >= 1024 // 40 entries fit a large inode
		case dirSizes["dirs/leaf"]:
			ok = data >= 1 && leaf >= 1 && free == 0
		case dirSizes["dirs/node"]:
			ok = data >= 1 && leaf >= 1 && free >= 1
		}
		if !ok && !(dir == "dirs/leaf" && v.sb.dirBlkLog > 0) {
			t.Errorf("%s: format %d, %d data, %d leaf, %d free extents", dir, in.Format, data, leaf, free)
		}
	}
}

// compareXFSDB checks inode numbers against xfs_db's own directory code.
func compareXFSDB(t *testing.T, fsys *filesystem.FS, img string) {
	for dir := range dirSizes {
		out := xfsDB(t, img, "ls /"+dir)
		want := map[string]uint64{}
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			// offset, inode, type, hash, name length, name, (good)
			if len(f) < 7 || f[5] == "." || f[5] == ".." {
				continue
			}
			ino, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				t.Fatalf("xfs_db ls line %q", line)
			}
			want[f[5]] = ino
		}
		ents, err := fsys.ReadDir(dir)
		if err != nil || len(ents) != len(want) {
			t.Fatalf("%s: %d entries (%v), xfs_db lists %d", dir, len(ents), err, len(want))
		}
		for _, e := range ents {
			fi, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Sys().(*Inode).Ino; got != want[e.Name()] {
				t.Errorf("%s/%s: inode %d, xfs_db says %d", dir, e.Name(), got, want[e.Name()])
			}
		}
	}
}

// checkEntryTypes: without ftype the reader leaves the type to FS.
func checkEntryTypes(t *testing.T, v *Volume) {
	root, err := v.Root()
	if err != nil {
		t.Fatal(err)
	}
	ents, err := v.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		irregular := e.Type == fs.ModeIrregular
		if irregular == v.sb.hasFType() {
			t.Errorf("%s: type %v with ftype %v", e.Name, e.Type, v.sb.hasFType())
		}
	}
}

// TestConcurrentAndBareSymlink shares one Volume between goroutines (run
// with -race) and checks what a v5 remote symlink without its XSLM header
// gives: mkfs.xfs 6.1 writes them so, and the kernel rejects them too.
func TestConcurrentAndBareSymlink(t *testing.T) {
	src := buildTree(t)
	img := makeImage(t, src, variants[0])
	fsys, _ := openImage(t, img)
	_, err := fsys.ReadLink("remote-link")
	var ce *filesystem.CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "XSLM") {
		t.Errorf("bare remote symlink: %v", err)
	}
	wantBig, _ := os.ReadFile(filepath.Join(src, "big"))
	done := make(chan error)
	for g := range 8 {
		go func() {
			for i := g; i < dirSizes["dirs/node"]; i += 8 {
				name := fmt.Sprintf("dirs/node/entry-%05d", i)
				got, err := fsys.ReadFile(name)
				if err != nil || string(got) != strconv.Itoa(i) {
					done <- fmt.Errorf("%s = %q, %v", name, got, err)
					return
				}
			}
			got, err := fsys.ReadFile("big")
			if err != nil || !bytes.Equal(got, wantBig) {
				done <- fmt.Errorf("big: %d bytes, %v", len(got), err)
				return
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// compareInodes checks parsed inode cores against xfs_db's print.
func compareInodes(t *testing.T, fsys *filesystem.FS, img string) {
	for _, p := range []string{".", "big", "etc", "remote-link", "medium-link", "empty", "fifo", "dirs/node", "dirs/short"} {
		fi, err := fsys.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		in := fi.Sys().(*Inode)
		out := xfsDB(t, img, "inode "+strconv.FormatUint(in.Ino, 10),
			"print core.mode core.size core.nlinkv2 core.mtime.sec core.mtime.nsec core.format core.nextents")
		field := map[string]string{}
		for _, line := range strings.Split(out, "\n") {
			if k, v, ok := strings.Cut(line, " = "); ok {
				field[k] = v
			}
		}
		mode, _ := strconv.ParseUint(field["core.mode"], 8, 16)
		size, _ := strconv.ParseInt(field["core.size"], 10, 64)
		nlink, _ := strconv.ParseUint(field["core.nlinkv2"], 10, 32)
		sec, _ := time.Parse(time.ANSIC, field["core.mtime.sec"])
		nsec, _ := strconv.ParseInt(field["core.mtime.nsec"], 10, 64)
		format, _, _ := strings.Cut(field["core.format"], " ")
		next, _ := strconv.ParseUint(field["core.nextents"], 10, 64)
		mtime := sec.Add(time.Duration(nsec))
		if uint16(mode) != in.Mode || size != in.Size || uint32(nlink) != in.Nlink || !mtime.Equal(in.Mtime) ||
			format != strconv.Itoa(int(in.Format)) || next != in.Extents || !fi.ModTime().Equal(mtime) {
			t.Errorf("%s: parsed %+v; xfs_db says %v", p, *in, field)
		}
	}
}
