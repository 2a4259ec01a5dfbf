package diskimage

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"testing"
)

// fuzzReadCap bounds how much of a fuzzed disk is read: virtual sizes may
// be terabytes, and the point is the tables, not the bulk.
const fuzzReadCap = 2 << 20

// addSeeds adds small images qemu-img makes from a mostly empty 256 KiB
// guest, one per option set. Small seeds matter: the fuzzer mutates bytes
// anywhere, and only those in the headers and tables are interesting.
func addSeeds(f *testing.F, qemuFormat string, optionSets ...[]string) {
	dir := f.TempDir()
	raw := filepath.Join(dir, "guest.raw")
	guest := make([]byte, 256<<10)
	for i, at := range []int{0, 5000, 70_000, 200_000} {
		copy(guest[at:], bytes.Repeat([]byte{byte(i + 1), 0x55, 0xaa}, 300))
	}
	writeFile(f, raw, guest)
	for i, opts := range optionSets {
		img := filepath.Join(dir, qemuFormat+string(rune('a'+i)))
		run(f, "qemu-img", append(append([]string{"convert", "-f", "raw", "-O", qemuFormat}, opts...), raw, img)...)
		b := readFile(f, img)
		if len(b) > 256<<10 && qemuFormat == "vpc" {
			// A dynamic VHD's one 2 MiB block: keep the part that holds
			// the guest (the rest reads as zeros) and the footer, so the
			// fuzzer mutates a small input.
			b = append(b[:192<<10:192<<10], b[len(b)-vhdFooterLen:]...)
		}
		f.Add(b)
	}
}

// exercise opens data and reads the start, the middle and the end of the
// disk. Nothing may panic; every failure must be an error value.
func exercise(t *testing.T, data []byte) {
	d, err := Open(bytes.NewReader(data), int64(len(data)))
	if d == nil {
		if err == nil {
			t.Fatal("Open returned neither a Disk nor an error")
		}
		return
	}
	if err != nil {
		if _, rerr := d.ReadAt(make([]byte, 512), 0); !errors.Is(rerr, err) {
			t.Fatalf("Open: %v, but ReadAt: %v", err, rerr)
		}
		return
	}
	size := d.Size()
	buf := make([]byte, 64<<10)
	for _, start := range []int64{0, size / 2, max(0, size-fuzzReadCap/2)} {
		for off := start; off < min(size, start+fuzzReadCap/2); off += int64(len(buf)) {
			n, err := d.ReadAt(buf, off)
			if err != nil && err != io.EOF {
				break // damage found where it reads: fine, it is an error
			}
			if n > len(buf) || (err == nil && n != len(buf)) {
				t.Fatalf("ReadAt(%d) = %d, %v", off, n, err)
			}
		}
	}
	_ = d.Info()
}

func FuzzQcow2(f *testing.F) {
	addSeeds(f, "qcow2",
		[]string{"-o", "cluster_size=512"},
		[]string{"-c", "-o", "cluster_size=4096"},
		[]string{"-c", "-o", "cluster_size=4096,compression_type=zstd"},
		[]string{"-o", "extended_l2=on,cluster_size=16k"},
		[]string{"-c", "-o", "extended_l2=on,cluster_size=16k,compression_type=zstd"},
		[]string{"-o", "compat=0.10,cluster_size=1024"},
	)
	f.Fuzz(exercise)
}

func FuzzVMDK(f *testing.F) {
	addSeeds(f, "vmdk",
		[]string{"-o", "subformat=streamOptimized"},
		[]string{"-o", "subformat=monolithicSparse,zeroed_grain=on"},
	)
	f.Fuzz(exercise)
}

// FuzzVHD repairs the footer checksums of each input before a second
// Open, so mutations reach past the checksum check into the tables.
func FuzzVHD(f *testing.F) {
	addSeeds(f, "vpc",
		[]string{"-o", "subformat=dynamic,force_size=on"},
		[]string{"-o", "subformat=fixed"},
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		exercise(t, data)
		if len(data) < vhdFooterLen {
			return
		}
		fixed := bytes.Clone(data)
		putVHDChecksum(fixed[:vhdFooterLen])
		putVHDChecksum(fixed[len(fixed)-vhdFooterLen:])
		exercise(t, fixed)
	})
}
