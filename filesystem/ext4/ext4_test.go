package ext4_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/uimport/uimport/filesystem"
	"github.com/uimport/uimport/filesystem/ext4"
)

// inodeFlags reads an inode's flags as debugfs sees them.
func inodeFlags(t *testing.T, img, path string) uint64 {
	t.Helper()
	m := regexp.MustCompile(`Flags: 0x([0-9a-f]+)`).FindStringSubmatch(debugfs(t, img, "stat "+path))
	if m == nil {
		t.Fatalf("debugfs stat %s: no flags", path)
	}
	f, _ := strconv.ParseUint(m[1], 16, 64)
	return f
}

// htreeIndex makes e2fsck index every directory (mke2fs -d writes them
// linear); e2fsck exits 1 when it changed the file system.
func htreeIndex(t *testing.T, img string) {
	t.Helper()
	out, err := exec.Command(needTool(t, "e2fsck"), "-fyD", img).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		t.Fatalf("e2fsck -fyD: %v\n%s", err, out)
	}
}

type fixture struct {
	name      string
	blockSize int
	size      int64
	manyFiles int
	inline    bool
	mkfs      []string
	kind      filesystem.Kind
	features  []string
	// check looks at what makes the fixture worth having, through debugfs,
	// so a fixture that silently lost its point fails.
	check func(t *testing.T, img string)
}

var fixtures = []fixture{
	{
		name: "ext2-1k-blockmap", blockSize: 1024, size: 96 << 20, manyFiles: 300,
		mkfs: []string{"-t", "ext2", "-b", "1024"}, kind: filesystem.Ext2,
		check: func(t *testing.T, img string) {
			if out := debugfs(t, img, "stat /data/sparse"); !strings.Contains(out, "(TIND)") {
				t.Errorf("data/sparse does not reach a triple indirect block:\n%s", out)
			}
		},
	},
	{
		// The original format: 128-byte inodes, no file types in
		// directory entries (the reader takes them from the inodes).
		name: "ext2-rev0-1k", blockSize: 1024, size: 64 << 20, manyFiles: 100,
		mkfs: []string{"-t", "ext2", "-r", "0", "-O", "none", "-b", "1024"}, kind: filesystem.Ext2,
	},
	{
		name: "ext3-2k-journal-128b-inodes", blockSize: 2048, size: 96 << 20, manyFiles: 300,
		mkfs: []string{"-t", "ext3", "-b", "2048", "-I", "128"}, kind: filesystem.Ext3,
		features: []string{"has_journal"},
	},
	{
		name: "ext4-4k-64bit-csum-htree", blockSize: 4096, size: 160 << 20, manyFiles: 5000,
		mkfs: []string{"-t", "ext4"}, kind: filesystem.Ext4,
		features: []string{"64bit", "metadata_csum", "flex_bg", "extent", "dir_index"},
		check: func(t *testing.T, img string) {
			htreeIndex(t, img)
			if inodeFlags(t, img, "/many")&0x1000 == 0 {
				t.Error("many/ is not an htree directory")
			}
			if out := debugfs(t, img, "ex /data/fragmented"); !strings.Contains(out, " 0/ 2 ") {
				t.Errorf("data/fragmented's extent tree is not two levels deep:\n%s", out)
			}
		},
	},
	{
		name: "ext4-1k-32bit-nocsum", blockSize: 1024, size: 96 << 20, manyFiles: 300,
		mkfs: []string{"-t", "ext4", "-b", "1024", "-O", "^64bit,^metadata_csum,uninit_bg"}, kind: filesystem.Ext4,
		features: []string{"extent", "uninit_bg"},
		check: func(t *testing.T, img string) {
			if out := debugfs(t, img, "ex /data/fragmented"); !strings.Contains(out, " 0/ 2 ") {
				t.Errorf("data/fragmented's extent tree is not two levels deep:\n%s", out)
			}
		},
	},
	{
		name: "ext4-inline-data", blockSize: 4096, size: 96 << 20, manyFiles: 300, inline: true,
		mkfs: []string{"-t", "ext4", "-O", "inline_data"}, kind: filesystem.Ext4,
		features: []string{"inline_data"},
		check: func(t *testing.T, img string) {
			for _, p := range []string{"/sizes/f1", "/sizes/f59", "/sizes/f100", "/small1", "/small3", "/hard/a", "/empty-dir", "/etc/long-link"} {
				if inodeFlags(t, img, p)&0x10000000 == 0 {
					t.Errorf("%s is not inline", p)
				}
			}
		},
	},
	{
		name: "ext4-bigalloc", blockSize: 4096, size: 256 << 20, manyFiles: 300,
		mkfs: []string{"-t", "ext4", "-O", "bigalloc", "-C", "16384"}, kind: filesystem.Ext4,
		features: []string{"bigalloc"},
	},
	{
		name: "ext4-1k-meta_bg", blockSize: 1024, size: 64 << 20, manyFiles: 1500,
		mkfs: []string{"-t", "ext4", "-b", "1024", "-O", "meta_bg,^resize_inode", "-g", "1024", "-N", "2048"}, kind: filesystem.Ext4,
		features: []string{"meta_bg"},
		check: func(t *testing.T, img string) {
			// Descriptors past the first meta group are read from elsewhere.
			out := debugfs(t, img, "imap /many/file-with-a-longish-name-01499")
			m := regexp.MustCompile(`block group (\d+)`).FindStringSubmatch(out)
			if g, _ := strconv.Atoi(m[1]); m == nil || g < 32 {
				t.Errorf("last file is not past the first meta group:\n%s", out)
			}
		},
	},
	{
		name: "ext4-64k-blocks", blockSize: 65536, size: 256 << 20, manyFiles: 300,
		mkfs: []string{"-t", "ext4", "-b", "65536"}, kind: filesystem.Ext4,
	},
}

func TestFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			t.Parallel()
			src := makeTree(t, treeOptions{manyFiles: fx.manyFiles, blockSize: fx.blockSize, noTrailingHole: fx.inline})
			img := mkfs(t, src, fx.size, fx.mkfs...)
			if fx.check != nil {
				fx.check(t, img)
			}
			fsys, v := openImage(t, img)
			info := v.Info()
			if kind := detect(t, img); kind != info.Kind {
				t.Errorf("Info says %s, filesystem.Detect %s", info.Kind, kind)
			}
			if info.Kind != fx.kind || info.BlockSize != fx.blockSize || len(info.Unsupported) != 0 {
				t.Errorf("Info = %+v", info)
			}
			for _, f := range fx.features {
				if !slices.Contains(info.Features, f) {
					t.Errorf("features %v lack %s", info.Features, f)
				}
			}
			compareTree(t, fsys, src)
			checkLinks(t, fsys, src)
			for _, dir := range []string{"/", "/data", "/etc", "/sizes"} {
				compareDebugfsListing(t, fsys, img, dir)
			}

			a, errA := fsys.Lstat("hard/a")
			b, errB := fsys.Lstat("hard/b")
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			ia, ib := a.Sys().(*ext4.Inode), b.Sys().(*ext4.Inode)
			if ia.Ino != ib.Ino || ia.Links != 2 {
				t.Errorf("hard links: inodes %d and %d, %d links", ia.Ino, ib.Ino, ia.Links)
			}
		})
	}
}

func detect(t *testing.T, img string) filesystem.Kind {
	t.Helper()
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	return filesystem.Detect(f, st.Size())
}

func TestOpenRejectsGarbage(t *testing.T) {
	for name, img := range map[string][]byte{
		"empty":  nil,
		"zeros":  make([]byte, 1<<20),
		"random": randomBytes(42, 1<<20),
	} {
		_, err := ext4.Open(bytes.NewReader(img), int64(len(img)))
		if !errors.As(err, new(*filesystem.CorruptError)) {
			t.Errorf("%s: %v, want a CorruptError", name, err)
		}
	}
}

// TestTruncatedImage: an image cut short opens (the superblock is there)
// but reading past its end fails cleanly.
func TestTruncatedImage(t *testing.T) {
	src := makeTree(t, treeOptions{blockSize: 4096})
	img := mkfs(t, src, 64<<20, "-t", "ext4")
	raw, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	cut := raw[:2<<20]
	fsys, _, err := ext4.OpenFS(bytes.NewReader(cut), int64(len(cut)))
	if err != nil {
		t.Fatalf("OpenFS: %v", err)
	}
	if _, err := fsys.ReadFile("data/random-1m"); !errors.As(err, new(*filesystem.CorruptError)) {
		t.Errorf("ReadFile past the end: %v, want a CorruptError", err)
	}
}

// compareDebugfsListing checks inode numbers, modes and sizes in dir
// against debugfs's "ls -p" (/ino/mode/uid/gid/name/size/).
func compareDebugfsListing(t *testing.T, fsys *filesystem.FS, img, dir string) {
	t.Helper()
	rel := strings.TrimPrefix(dir, "/")
	if rel == "" {
		rel = "."
	}
	entries, err := fsys.ReadDir(rel)
	if err != nil {
		t.Fatalf("ReadDir %s: %v", rel, err)
	}
	byName := map[string]*ext4.Inode{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatalf("Info %s/%s: %v", rel, e.Name(), err)
		}
		byName[e.Name()] = info.Sys().(*ext4.Inode)
	}
	count := 0
	for _, line := range strings.Split(debugfs(t, img, "ls -p "+dir), "\n") {
		f := strings.Split(line, "/")
		if len(f) < 8 || f[5] == "." || f[5] == ".." {
			continue
		}
		count++
		in := byName[f[5]]
		if in == nil {
			t.Errorf("%s/%s: listed by debugfs, not by ReadDir", dir, f[5])
			continue
		}
		ino, _ := strconv.ParseUint(f[1], 10, 64)
		mode, _ := strconv.ParseUint(f[2], 8, 32)
		if in.Ino != ino || uint64(in.Mode) != mode {
			t.Errorf("%s/%s: inode %d mode %o, debugfs %d %o", dir, f[5], in.Ino, in.Mode, ino, mode)
		}
		if size, err := strconv.ParseUint(f[6], 10, 64); err == nil && in.Size != size {
			t.Errorf("%s/%s: size %d, debugfs %d", dir, f[5], in.Size, size)
		}
	}
	if count != len(entries) {
		t.Errorf("%s: debugfs lists %d entries, ReadDir %d", dir, count, len(entries))
	}
}
