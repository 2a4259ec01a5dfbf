package main

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// countingSource counts the reads that reach it.
type countingSource struct {
	r     *bytes.Reader
	reads int
}

func (c *countingSource) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}

// The read-ahead what-if must return exactly what is below it, for
// sequential streams, random reads and reads at the end.
func TestReadAheadReturnsTheSameBytes(t *testing.T) {
	data := filler(1, 9<<20+123)
	src := &countingSource{r: bytes.NewReader(data)}
	ra := &readAhead{r: src, size: int64(len(data))}
	r := rand.New(rand.NewPCG(1, 2))
	check := func(off int64, n int) {
		t.Helper()
		got := make([]byte, n)
		m, err := ra.ReadAt(got, off)
		want := data[min(off, int64(len(data))):min(off+int64(n), int64(len(data)))]
		if m != len(want) || !bytes.Equal(got[:m], want) {
			t.Fatalf("ReadAt(%d, %d): %d bytes, differ", off, n, m)
		}
		if m < n && err != io.EOF {
			t.Fatalf("ReadAt(%d, %d) short without EOF: %v", off, n, err)
		}
	}
	for off := int64(0); off < int64(len(data)); off += 16 << 10 {
		check(off, 16<<10)
		if r.IntN(8) == 0 {
			check(r.Int64N(int64(len(data))), 1+r.IntN(64<<10))
		}
	}
	seqReads := len(data) / (16 << 10)
	if src.reads*4 > seqReads {
		t.Errorf("%d reads reached the source for %d sequential reads: the read-ahead did not batch them", src.reads, seqReads)
	}
	check(int64(len(data))-10, 100)
}

func TestCompareOS(t *testing.T) {
	ours := inspectAnswer{OS: "ubuntu 22.04", Arch: "x86_64", Root: "/dev/vda1 ext4"}
	same, differs, _ := compareOS(ours, []viOS{{Distro: "ubuntu", Major: "22", Minor: "4", Arch: "x86_64", Root: "/dev/sda1"}})
	if !same {
		t.Errorf("22.04 against 22 and 4: %v", differs)
	}
	same, differs, _ = compareOS(ours, []viOS{{Distro: "ubuntu", Major: "22", Minor: "4", Arch: "x86_64", Root: "/dev/sda2"}})
	if same || len(differs) != 1 {
		t.Errorf("another root partition: same=%v %v", same, differs)
	}
	if same, _, _ = compareOS(ours, nil); same {
		t.Error("no OS found by virt-inspector is not the same answer")
	}
}

func TestSizeHistogram(t *testing.T) {
	got := sizeHistogram([]int64{256 << 10, 256 << 10, 64 << 10, 4 << 20, 256 << 10})
	if want := "3×256 KiB, 1×4 MiB, 1×64 KiB"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
