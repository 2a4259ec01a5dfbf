package ext4_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uimport/uimport/filesystem/ext4"
)

// countingReader counts the reads that reach the image, as an HTTP range
// reader would count GETs.
type countingReader struct {
	r     io.ReaderAt
	calls atomic.Int64
	bytes atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.calls.Add(1)
	c.bytes.Add(int64(len(p)))
	return c.r.ReadAt(p, off)
}

func TestReadsAreFewAndLarge(t *testing.T) {
	src := makeTree(t, treeOptions{manyFiles: 300, blockSize: 4096})
	img := mkfs(t, src, 96<<20, "-t", "ext4")
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	cr := &countingReader{r: f}
	fsys, _, err := ext4.OpenFS(cr, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.ReadFile("etc/os-release"); err != nil {
		t.Fatal(err)
	}
	// Superblock, descriptors, inode table blocks, directories, the file.
	t.Logf("open + etc/os-release via a symlink: %d reads, %d bytes", cr.calls.Load(), cr.bytes.Load())
	if cr.calls.Load() > 16 {
		t.Errorf("%d reads to find etc/os-release", cr.calls.Load())
	}
	// Walking the same directories again reads nothing.
	before := cr.calls.Load()
	if _, err := fsys.ReadFile("usr/lib/os-release"); err != nil {
		t.Fatal(err)
	}
	if n := cr.calls.Load() - before; n > 1 {
		t.Errorf("second walk: %d reads, want at most the file's one", n)
	}
	// A megabyte in one extent is one read.
	if _, err := fsys.Stat("data/random-1m"); err != nil {
		t.Fatal(err)
	}
	before = cr.calls.Load()
	b, err := fsys.ReadFile("data/random-1m")
	if err != nil || len(b) != 1<<20+7 {
		t.Fatal(len(b), err)
	}
	if n := cr.calls.Load() - before; n > 2 {
		t.Errorf("reading 1 MiB took %d reads", n)
	}
}

// TestConcurrentUse reads one volume from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	src := makeTree(t, treeOptions{manyFiles: 200, blockSize: 1024})
	img := mkfs(t, src, 64<<20, "-t", "ext4", "-b", "1024")
	fsys, _ := openImage(t, img)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				name := fmt.Sprintf("many/file-with-a-longish-name-%05d", (g*50+i)%200)
				got, err := fsys.ReadFile(name)
				want, _ := os.ReadFile(filepath.Join(src, name))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s: %q, %v", name, got, err)
					return
				}
				if _, err := fsys.ReadFile("lib/modules/5.14.0/kernel/drivers/block/virtio_blk.ko.xz"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
