package partition

import (
	"io"
	"testing"
)

// zeroTail reads data as the start of a disk whose remaining bytes are
// zero, so a small fuzz input can stand for a large disk.
type zeroTail struct {
	data []byte
	size int64
}

func (z zeroTail) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= z.size {
		return 0, io.EOF
	}
	n := len(p)
	if int64(n) > z.size-off {
		n = int(z.size - off)
	}
	clear(p[:n])
	if off < int64(len(z.data)) {
		copy(p[:n], z.data[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// smallFixtures are real tables written by sfdisk and sgdisk on 256 KiB
// disks (unaligned, so every structure is in the first few sectors).
func smallFixtures(f testing.TB) [][]byte {
	mbr := emptyDisk(f, 256<<10)
	run(f, `label: dos
label-id: 0x00000000
unit: sectors
start=1, size=40, type=83, bootable
start=41, size=40, type=8e
start=81, size=300, type=5
start=83, size=20, type=83
start=105, size=20, type=82
start=127, size=20, type=83
`, "sfdisk", "-q", "--no-reread", "--wipe", "never", mbr)
	gpt := emptyDisk(f, 256<<10)
	run(f, "", "sgdisk", "-a", "1", "-o",
		"-n", "1:34:+8K", "-t", "1:EF02",
		"-n", "2:0:+16K", "-t", "2:EF00", "-c", "2:EFI",
		"-n", "3:0:+32K", "-t", "3:8E00", gpt)
	hybrid := emptyDisk(f, 256<<10)
	run(f, "", "sgdisk", "-a", "1", "-o", "-n", "1:34:+8K", "-n", "2:0:+16K", "-t", "2:0700", hybrid)
	run(f, "", "sgdisk", "-h", "2", hybrid)
	return [][]byte{readFile(f, mbr), readFile(f, gpt), readFile(f, hybrid)}
}

func FuzzRead(f *testing.F) {
	// The seeds must be the tables they claim to be, or fuzzing starts
	// from nothing.
	wantCount := []int{6, 3, 2}
	for i, img := range smallFixtures(f) {
		tab, err := Read(zeroTail{img, int64(len(img))}, int64(len(img)))
		if err != nil || len(tab.Partitions) != wantCount[i] || len(tab.Notes) != i/2 {
			f.Fatalf("seed %d: %v %+v", i, err, tab)
		}
		// Small inputs keep each execution (and the minimisation of
		// what they turn into) fast: every table sits in the first
		// 64 KiB, and the rest of the disk reads as zeros.
		f.Add(img[:64<<10], uint32(len(img)-64<<10))
		f.Add(img[:4096], uint32(len(img)-4096))
	}
	f.Add([]byte{}, uint32(1<<20))
	f.Fuzz(func(t *testing.T, data []byte, extra uint32) {
		size := int64(len(data)) + int64(extra)
		tab, err := Read(zeroTail{data, size}, size)
		if err != nil {
			t.Fatalf("a reader that never fails gave %v", err)
		}
		for _, p := range tab.Partitions {
			if p.Start < 0 || p.Size < 0 || p.End() > size {
				t.Fatalf("partition %+v outside a disk of %d bytes", p, size)
			}
		}
	})
}
