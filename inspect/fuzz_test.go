package inspect

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/internal/guestimage"
)

var (
	fuzzBaseOnce   sync.Once
	fuzzBase       []byte
	fuzzBaseBlocks []int64 // offsets of the base image's non-zero 4 KiB blocks
	fuzzBaseErr    error
)

// fuzzImage is the Tiny guest as raw bytes, built once per process.
func fuzzImage(tb testing.TB) ([]byte, []int64) {
	fuzzBaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "inspect-fuzz-")
		if err != nil {
			fuzzBaseErr = err
			return
		}
		defer os.RemoveAll(dir)
		raw, err := guestimage.Tiny().Build(dir)
		if err != nil {
			fuzzBaseErr = err
			return
		}
		fuzzBase, fuzzBaseErr = os.ReadFile(raw)
		zero := make([]byte, 4096)
		for off := 0; off+4096 <= len(fuzzBase); off += 4096 {
			if !bytes.Equal(fuzzBase[off:off+4096], zero) {
				fuzzBaseBlocks = append(fuzzBaseBlocks, int64(off))
			}
		}
	})
	if fuzzBaseErr != nil {
		tb.Fatalf("building the fuzz base image: %v (run scripts/test-deps.sh)", fuzzBaseErr)
	}
	return fuzzBase, fuzzBaseBlocks
}

// patch applies the fuzz input to a copy of the base image: records of
// [block index u16][offset in block u16][length u8][bytes], aimed at the
// blocks that hold something (partition table, superblock, inodes,
// directories, os-release, grub.cfg, the initramfs ...).
func patch(base []byte, blocks []int64, in []byte) []byte {
	img := bytes.Clone(base)
	for len(in) >= 5 && len(blocks) > 0 {
		blk := blocks[int(binary.LittleEndian.Uint16(in))%len(blocks)]
		off := blk + int64(binary.LittleEndian.Uint16(in[2:])%4096)
		n := min(int(in[4]), len(in)-5)
		copy(img[off:min(off+int64(n), int64(len(img)))], in[5:5+n])
		in = in[5+n:]
	}
	return img
}

func FuzzInspect(f *testing.F) {
	base, blocks := fuzzImage(f)
	f.Add([]byte{})
	// The MBR's first partition entry, the ext4 superblock's inode count,
	// and a run of 0xff somewhere in the file data.
	f.Add([]byte{0, 0, 0xbe, 0x01, 4, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{1, 0, 0x00, 0x04, 8, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80})
	f.Add(append([]byte{40, 0, 0, 0, 64}, bytes.Repeat([]byte{0xff}, 64)...))
	f.Add([]byte{7, 0, 16, 0, 6, '0', '7', '0', '7', '0', '1', 9, 0, 100, 0, 3, 0x1f, 0x8b, 8})
	f.Fuzz(func(t *testing.T, in []byte) {
		img := patch(base, blocks, in)
		start := time.Now()
		r, err := Inspect(context.Background(), bytes.NewReader(img), int64(len(img)), Options{Budget: 3 * time.Second, DeclaredOSType: "CentOS"})
		if err != nil {
			return
		}
		if el := time.Since(start); el > 15*time.Second {
			t.Fatalf("inspection took %v", el)
		}
		for _, fd := range r.Findings {
			if fd.ID == "" || fd.Message == "" {
				t.Fatalf("empty finding %+v", fd)
			}
		}
	})
}
