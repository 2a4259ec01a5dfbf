package diskimage

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// needTool fails (never skips) when a fixture tool is missing.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is needed to build test images: run scripts/test-deps.sh", name)
	}
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	needTool(t, name)
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// writeGuest writes a guest disk of size bytes that exercises every
// mapping: random (incompressible) stretches, repetitive text
// (compressible), whole zero clusters and runs of zeros shorter than a
// cluster, with boundaries off every cluster size.
func writeGuest(t testing.TB, path string, size int64, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 42))
	disk := make([]byte, size)
	for off := int64(0); off < size; {
		n := min(size-off, int64(rng.IntN(300_000)+1))
		switch rng.IntN(4) {
		case 0:
			for i := range n {
				disk[off+i] = byte(rng.Uint32())
			}
		case 1:
			line := fmt.Sprintf("sector text %d for compression; ", off)
			for i := range n {
				disk[off+i] = line[i%int64(len(line))]
			}
		case 2: // zeros: leave them
		case 3:
			disk[off] = 0xa5 // one byte in an otherwise zero stretch
		}
		off += n
	}
	if err := os.WriteFile(path, disk, 0o644); err != nil {
		t.Fatal(err)
	}
}

// openFile opens path with Open; the file is closed with the test.
func openFile(t testing.TB, path string) (*Disk, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Open(f, st.Size())
}

// qemuRaw is what qemu-img makes of image: the reference guest bytes.
func qemuRaw(t testing.TB, image, format string) []byte {
	t.Helper()
	ref := filepath.Join(t.TempDir(), "ref.raw")
	run(t, "qemu-img", "convert", "-f", format, "-O", "raw", image, ref)
	want, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// sameAsQemu opens image and checks every guest byte against qemu-img's
// conversion of it, reading in chunks of several sizes (none aligned to a
// cluster) and from several goroutines at once.
func sameAsQemu(t *testing.T, image, qemuFormat string) *Disk {
	t.Helper()
	want := qemuRaw(t, image, qemuFormat)
	d, err := openFile(t, image)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if d.Size() != int64(len(want)) {
		t.Fatalf("Size() = %d, qemu-img gives %d bytes", d.Size(), len(want))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	// Sector-sized reads (the slowest pass) cover the start, with the
	// tables' first entries, and the end, with the partial last cluster.
	edge := min(len(want), 512<<10)
	for _, r := range []struct{ chunk, from, to int }{
		{512, 0, edge},
		{512, (len(want) - edge) &^ 511, len(want)},
		{4096 + 512, 0, len(want)},
		{100_003, 0, len(want)},
		{1 << 20, 0, len(want)},
		{3<<20 + 7, 0, len(want)},
	} {
		wg.Go(func() {
			if err := compareChunks(d, want, r.chunk, r.from, r.to); err != nil {
				errs <- fmt.Errorf("chunk %d: %w", r.chunk, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Past the end: io.EOF, and a read across the end is short.
	if n, err := d.ReadAt(make([]byte, 10), d.Size()); n != 0 || err != io.EOF {
		t.Errorf("ReadAt(Size) = %d, %v; want 0, EOF", n, err)
	}
	if n, err := d.ReadAt(make([]byte, 1024), d.Size()-512); n != 512 || err != io.EOF {
		t.Errorf("ReadAt across the end = %d, %v; want 512, EOF", n, err)
	}
	return d
}

// compareChunks reads guest bytes [from, to) chunk bytes at a time.
func compareChunks(d *Disk, want []byte, chunk, from, to int) error {
	buf := make([]byte, chunk)
	for off := from; off < to; off += chunk {
		n, err := d.ReadAt(buf, int64(off))
		if err != nil && err != io.EOF {
			return fmt.Errorf("ReadAt(%d): %w", off, err)
		}
		end := min(off+chunk, len(want))
		if n != end-off {
			return fmt.Errorf("ReadAt(%d) = %d bytes, want %d", off, n, end-off)
		}
		if !bytes.Equal(buf[:n], want[off:end]) {
			i := 0
			for buf[i] == want[off+i] {
				i++
			}
			return fmt.Errorf("guest byte 0x%x differs from qemu-img's", off+i)
		}
	}
	return nil
}

// putVHDChecksum sets a VHD footer's checksum.
func putVHDChecksum(footer []byte) {
	sum := vhdSum(footer)
	footer[vhdChecksum], footer[vhdChecksum+1], footer[vhdChecksum+2], footer[vhdChecksum+3] = byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum)
}
