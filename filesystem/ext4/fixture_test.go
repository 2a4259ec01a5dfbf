package ext4_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/filesystem"
	"github.com/uimport/uimport/filesystem/ext4"
)

// mke2fsConf pins mke2fs's defaults, so fixtures do not depend on the
// distribution's /etc/mke2fs.conf.
const mke2fsConf = `[defaults]
	base_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
	blocksize = 4096
	inode_size = 256
	inode_ratio = 16384
[fs_types]
	ext3 = {
		features = has_journal
	}
	ext4 = {
		features = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
	}
	small = {
		inode_ratio = 4096
	}
	floppy = {
		inode_ratio = 8192
	}
`

func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: run scripts/test-deps.sh", name)
	}
	return p
}

func run(t testing.TB, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// mkfs builds a file system image of size bytes from src with mke2fs -d
// and checks it with e2fsck, so every fixture is one the kernel accepts.
func mkfs(t testing.TB, src string, size int64, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "mke2fs.conf")
	if err := os.WriteFile(conf, []byte(mke2fsConf), 0o644); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "fs.img")
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, size); err != nil {
		t.Fatal(err)
	}
	env := []string{"MKE2FS_CONFIG=" + conf}
	run(t, env, "mke2fs", append(append([]string{"-F", "-q", "-E", "lazy_itable_init=0"}, args...), "-d", src, img)...)
	run(t, nil, "e2fsck", "-fn", img)
	return img
}

func openImage(t testing.TB, img string) (*filesystem.FS, *ext4.Volume) {
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
	fsys, v, err := ext4.OpenFS(f, st.Size())
	if err != nil {
		t.Fatalf("OpenFS: %v", err)
	}
	return fsys, v
}

// debugfs runs one read-only debugfs request against img.
func debugfs(t testing.TB, img, request string) string {
	t.Helper()
	return run(t, nil, "debugfs", "-R", request, img)
}

// treeOptions shapes the source tree.
type treeOptions struct {
	manyFiles int // files in many/, to make a large (htree) directory
	blockSize int // picks the sparse file's offsets to reach triple indirect blocks
	// noTrailingHole leaves out the file that ends in a hole: mke2fs 1.47.0
	// with inline_data records such a file's size as its last data byte.
	noTrailingHole bool
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeAt(t testing.TB, path string, size int64, chunks map[int64][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for off, b := range chunks {
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
}

func symlink(t testing.TB, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

const osRelease = "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.4\"\nID=\"rocky\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n"

// makeTree writes the source tree every fixture is built from: a guest's
// usual symlinks, files of every interesting size, sparse and fragmented
// files, hard links, and a large directory.
func makeTree(t testing.TB, o treeOptions) string {
	t.Helper()
	src := t.TempDir()
	p := func(rel string) string { return filepath.Join(src, rel) }

	write(t, p("usr/lib/os-release"), []byte(osRelease))
	write(t, p("usr/lib/modules/5.14.0/kernel/drivers/block/virtio_blk.ko.xz"), randomBytes(1, 30000))
	write(t, p("usr/bin/sh"), randomBytes(2, 123457))
	symlink(t, "../usr/lib/os-release", p("etc/os-release"))
	symlink(t, "usr/lib", p("lib"))
	symlink(t, "usr/bin", p("bin"))
	symlink(t, "/usr/lib/os-release", p("etc/abs-release"))
	symlink(t, "/lib/modules", p("etc/modules-abs"))
	symlink(t, "b", p("loop/a"))
	symlink(t, "a", p("loop/b"))
	symlink(t, "self", p("loop/self"))
	symlink(t, "nowhere/at/all", p("loop/dangling"))
	// A slow symlink: its target does not fit in i_block's 60 bytes.
	long := strings.Repeat("./", 40) + "../usr/lib/os-release"
	symlink(t, long, p("etc/long-link"))
	// Longer than inline data holds too, so it takes a block there as well.
	symlink(t, strings.Repeat("./", 200)+"../usr/lib/os-release", p("etc/longer-link"))
	// Exactly at and around the 60-byte fast symlink limit.
	for _, n := range []int{59, 60, 61} {
		symlink(t, strings.Repeat("x", n), p(fmt.Sprintf("links/len%d", n)))
	}

	for _, n := range []int{0, 1, 59, 60, 61, 100, 150, 1023, 1024, 1025, 4095, 4096, 4097, 65537} {
		write(t, p(fmt.Sprintf("sizes/f%d", n)), randomBytes(uint64(n)+10, n))
	}
	write(t, p("data/random-1m"), randomBytes(3, 1<<20+7))
	write(t, p("hard/a"), []byte("hard linked\n"))
	if err := os.Link(p("hard/a"), p("hard/b")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(p("empty-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Small directories: inline with inline_data, in i_block or spilling
	// into the extended attribute.
	write(t, p("small1/x"), []byte("x"))
	for i := range 3 {
		write(t, p(fmt.Sprintf("small3/entry-%d", i)), nil)
	}
	for i := range 4 {
		write(t, p(fmt.Sprintf("small4/entry-%d", i)), nil)
	}

	// Sparse: data in the direct, single, double and triple indirect
	// ranges of a block map (for 1 KiB blocks: 12, 268, 65804 blocks).
	bs := int64(o.blockSize)
	per := bs / 4
	sparse := map[int64][]byte{
		0:                                     randomBytes(4, 5000),
		(12 + per/2) * bs:                     randomBytes(5, 3000),
		(12 + per + per*per/2) * bs:           randomBytes(6, 7000),
		(12+per+per*per+5)*bs + 123:           randomBytes(7, 9000),
		(12+per+per*per+per*per*per/3)*bs + 1: randomBytes(8, 100),
	}
	end := (12+per+per*per+per*per*per/3)*bs + 1 + 100
	if end > 8<<30 { // larger blocks: stop at the double indirect range
		double := (12 + per + per*per/2) * bs
		sparse = map[int64][]byte{0: randomBytes(4, 5000), (12 + per/2) * bs: randomBytes(5, 3000), double: randomBytes(6, 7000)}
		end = double + 7000
	}
	writeAt(t, p("data/sparse"), end, sparse)
	// Over 4 GiB: the size needs i_size_high.
	writeAt(t, p("data/huge"), 5<<30+17, map[int64][]byte{0: []byte("start"), 9<<29 + 3: randomBytes(9, 10000), 5<<30 + 7: randomBytes(10, 10)})
	// Fragmented: 1500 separate extents make an extent tree two levels deep.
	frag := map[int64][]byte{}
	for i := range int64(1500) {
		frag[i*8192] = randomBytes(uint64(100+i), 4096)
	}
	writeAt(t, p("data/fragmented"), 1499*8192+4096, frag)
	if !o.noTrailingHole {
		writeAt(t, p("data/trailing-hole"), 3<<20+5, map[int64][]byte{0: randomBytes(11, 5000)})
	}

	for i := range o.manyFiles {
		write(t, p(fmt.Sprintf("many/file-with-a-longish-name-%05d", i)), []byte(fmt.Sprintf("%d\n", i)))
	}
	return src
}

// equalBytes reports where a and b first differ.
func equalBytes(a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference at byte %d of %d/%d", i, len(a), len(b))
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}
