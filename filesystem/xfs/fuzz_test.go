package xfs

import (
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/filesystem"
)

// The smallest XFS is 300 MiB, mostly zeros. A fuzz input is therefore a
// sparse image: records of a 4-byte little-endian sector index and that
// 512-byte sector; every other sector of the 300 MiB device reads as
// zeros. (Most metadata blocks are largely zero, so sectors keep the
// seeds small, which the fuzzing engine needs to be quick.)
const (
	fuzzBlock  = 512
	fuzzDevice = 300 << 20
)

type sparseDevice map[uint32][]byte

func parseSparse(data []byte) sparseDevice {
	dev := sparseDevice{}
	for len(data) >= 4+fuzzBlock {
		dev[binary.LittleEndian.Uint32(data)] = data[4 : 4+fuzzBlock]
		data = data[4+fuzzBlock:]
	}
	return dev
}

func (d sparseDevice) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= fuzzDevice {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off+int64(n) < fuzzDevice {
		pos := off + int64(n)
		blk, in := uint32(pos/fuzzBlock), int(pos%fuzzBlock)
		m := min(len(p)-n, fuzzBlock-in)
		if b, ok := d[blk]; ok {
			copy(p[n:n+m], b[in:])
		} else {
			clear(p[n : n+m])
		}
		n += m
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// encodeSparse keeps an image's non-zero blocks, except the log's (which
// mkfs.xfs fills with cycle stamps and the reader never reads).
func encodeSparse(t testing.TB, img string) []byte {
	t.Helper()
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sb := make([]byte, 512)
	if _, err := f.ReadAt(sb, 0); err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	logStart, logBlocks := be.Uint64(sb[48:]), uint64(be.Uint32(sb[96:]))
	agBlocks, agBlkLog := uint64(be.Uint32(sb[84:])), sb[124]
	perBlock := uint64(be.Uint32(sb[4:])) / fuzzBlock
	logLin := ((logStart>>agBlkLog)*agBlocks + logStart&(1<<agBlkLog-1)) * perBlock
	logBlocks *= perBlock
	var out []byte
	chunk := make([]byte, 1<<20)
	for base := uint64(0); ; base += uint64(len(chunk)) / fuzzBlock {
		n, err := f.ReadAt(chunk, int64(base*fuzzBlock))
		if err != nil && err != io.EOF {
			t.Fatal(err)
		}
		for i := 0; i+fuzzBlock <= n; i += fuzzBlock {
			blk := base + uint64(i/fuzzBlock)
			b := chunk[i : i+fuzzBlock]
			if blk >= logLin && blk < logLin+logBlocks || strings.Count(string(b), "\x00") == len(b) {
				continue
			}
			out = binary.LittleEndian.AppendUint32(out, uint32(blk))
			out = append(out, b...)
		}
		if err == io.EOF {
			return out
		}
	}
}

// smallTree is the fuzz seeds' tree: every directory format but node,
// local and remote symlinks, a file, nesting.
func smallTree(t testing.TB) string {
	root := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "usr/lib"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "many"), 0o755))
	must(os.WriteFile(filepath.Join(root, "usr/lib/os-release"), []byte("ID=centos\n"), 0o644))
	must(os.Symlink("../usr/lib/os-release", filepath.Join(root, "etc/os-release")))
	must(os.Symlink("usr/lib", filepath.Join(root, "lib")))
	must(os.Symlink(strings.Repeat("r", 600), filepath.Join(root, "remote")))
	for i := range 120 {
		must(os.WriteFile(filepath.Join(root, "many", strings.Repeat("x", i%50+1)+string(rune('a'+i%26))), nil, 0o644))
	}
	return root
}

// exploreFS uses every reader path on fsys, bounded, and ignores errors:
// the fuzz target looks for panics, hangs and runaway allocation.
func exploreFS(fsys fs.FS) {
	visited := 0
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		visited++
		if visited > 300 {
			return fs.SkipAll
		}
		if err != nil || d == nil {
			return nil
		}
		d.Info()
		if d.Type()&fs.ModeSymlink != 0 {
			fs.ReadLink(fsys, p)
			fs.Stat(fsys, p)
			return nil
		}
		if d.IsDir() {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		st, err := f.Stat()
		if ra, ok := f.(io.ReaderAt); ok && err == nil {
			buf := make([]byte, 64<<10)
			ra.ReadAt(buf, 0)
			ra.ReadAt(buf[:4096], max(st.Size()-4096, 0))
		}
		return nil
	})
	fs.ReadFile(fsys, "etc/os-release")
}

func FuzzOpen(f *testing.F) {
	src := smallTree(f)
	for _, vt := range []variant{variants[0], variants[2]} {
		img := makeImage(f, src, vt)
		addSymlinkHeaders(f, img, "remote")
		f.Add(encodeSparse(f, img))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dev := parseSparse(data)
		fsys, v, err := OpenFS(dev, fuzzDevice)
		if err != nil {
			return
		}
		v.Info()
		v.LogClean()
		exploreFS(fsys)
	})
}

// TestSparseSeed makes sure the fuzz seeds are real file systems that the
// reader reads whole through the sparse encoding.
func TestSparseSeed(t *testing.T) {
	img := makeImage(t, smallTree(t), variants[2])
	data := encodeSparse(t, img)
	t.Logf("seed of %d bytes", len(data))
	if len(data) > 128<<10 {
		t.Errorf("seed of %d bytes", len(data))
	}
	fsys, _, err := OpenFS(parseSparse(data), fuzzDevice)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fs.ReadFile(fsys, "lib/os-release"); err != nil || string(got) != "ID=centos\n" {
		t.Fatalf("lib/os-release = %q, %v", got, err)
	}
	if target, err := fs.ReadLink(fsys, "remote"); err != nil || len(target) != 600 {
		t.Fatalf("remote: %d bytes, %v", len(target), err)
	}
	ents, err := fs.ReadDir(fsys, "many")
	if err != nil || len(ents) != 120 {
		t.Fatalf("many: %d entries, %v", len(ents), err)
	}
}

// FuzzStructures feeds one block straight to each parser, much faster
// than FuzzOpen: the superblock, an inode (core, fork, extents, btree
// root), a short-form directory and a directory data block.
func FuzzStructures(f *testing.F) {
	sb := make([]byte, 512)
	copy(sb, "XFSB")
	f.Add(sb, uint8(0))
	f.Add(shortformBytes(true, true, []string{"a", "bc"}, []uint64{1 << 40, 7}), uint8(1))
	blk := make([]byte, 4096)
	copy(blk, "XDB3")
	f.Add(blk, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		parseSuperblock(data)
		for _, version := range []uint16{4, 5} {
			sb := &superblock{version: version, versionNum: version | vDirV2Bit | vMoreBitsBit, features2: f2FType,
				incompat: inFType, blockSize: 4096, blockLog: 12, dblocks: 1 << 20, agBlocks: 1 << 18,
				agBlkLog: 18, agCount: 4, inodeSize: 512, inodeLog: 9, inoPBLog: 3}
			v := &Volume{sb: sb, dev: device{r: sparseDevice{}, size: fuzzDevice}, cache: newBlockCache(4096)}
			visit := func(filesystem.Entry) bool { return true }
			if len(data) >= 512 {
				if in, err := v.parseInode(uint64(sel), data[:512]); err == nil {
					v.extents(in)
					v.readLink(in)
					v.entries(in, visit)
					if r, err := v.Open(in.node()); err == nil {
						r.ReadAt(make([]byte, 8192), 0)
					}
				}
			}
			in := &Inode{Ino: 128, Mode: sIFDIR, Format: fmtLocal, Size: int64(len(data)), fork: data}
			v.shortformDir(in, visit)
			if len(data) >= 512 && len(data)%8 == 0 {
				v.dataBlockEntries(in, data, visit)
			}
		}
	})
}
