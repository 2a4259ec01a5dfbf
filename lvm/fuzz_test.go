package lvm

import (
	"bytes"
	"strings"
	"testing"
)

// exercise opens every LV of whatever Open accepted and reads its first
// and last blocks: offsets derived from hostile metadata must stay inside
// the device and never panic.
func exercise(t *testing.T, r zeroTail) {
	vg, err := Open(r, r.size)
	if err != nil {
		return
	}
	_ = vg.AddPV(r, r.size)
	buf := make([]byte, 4096)
	for _, lv := range vg.LVs {
		lr, size, err := vg.Open(lv.Name)
		if err != nil {
			continue
		}
		if size != lv.Size || size < 0 {
			t.Fatalf("LV %s: size %d, listed as %d", lv.Name, size, lv.Size)
		}
		_, _ = lr.ReadAt(buf, 0)
		_, _ = lr.ReadAt(buf, max(0, size-int64(len(buf))/2))
	}
}

// realPVHead is the first 64 KiB of a PV made by lvm (label, metadata
// area header and every metadata copy written so far).
func realPVHead(f *testing.F) ([]byte, string) {
	fx := newLVMFixture(f, 1, 16<<20)
	fx.lvm("pvcreate", fx.loops[0])
	fx.lvm("vgcreate", "-s", "1M", "vgfuzz", fx.loops[0])
	create := []string{"lvcreate", "--driverloaded", "n", "-Zn", "-an"}
	fx.lvm(append(create, "-L", "2M", "-n", "root", "vgfuzz")...)
	fx.lvm(append(create, "-L", "1M", "-n", "swap", "vgfuzz")...)
	fx.lvm("lvextend", "--driverloaded", "n", "-L", "+1M", "vgfuzz/root")
	file, size := openFile(f, fx.files[0])
	head := make([]byte, 64<<10)
	if _, err := file.ReadAt(head, 0); err != nil {
		f.Fatal(err)
	}
	l, err := ReadLabel(file, size)
	if err != nil {
		f.Fatal(err)
	}
	md, _, err := newestMetadata(file, size, l)
	if err != nil || len(md.text) > 60<<10 {
		f.Fatalf("real PV metadata: %v", err)
	}
	// Framed by fuzzPV, the text must name the synthetic PV's UUID.
	return head, strings.ReplaceAll(string(md.text), l.PVUUID, formatUUID(synthUUID))
}

// fuzzPV frames metadata text as a PV's only metadata area, so the
// fuzzer's mutations reach the parser and the VG checks instead of
// stopping at a checksum. Extents start at 1 MiB of an 8 MiB device
// whose bytes past the metadata area are zero.
func fuzzPV(text string) zeroTail {
	pv := synthPV{size: 4096 + 64<<10, mdaSize: 64 << 10, textOff: 512, peStart: 1 << 20}
	return zeroTail{data: pv.build(text), size: 8 << 20}
}

func FuzzOpen(f *testing.F) {
	head, _ := realPVHead(f)
	if vg, err := Open(zeroTail{head, 16 << 20}, 16<<20); err != nil || len(vg.LVs) != 2 {
		f.Fatalf("the real PV seed does not open: %v", err)
	}
	f.Add(head, uint32(16<<20))
	f.Add(smallPV.build(layoutsText)[:72<<10], uint32(8<<20))
	wrapped := smallPV
	wrapped.mdaSize, wrapped.textOff = 8<<10, 7<<10
	f.Add(wrapped.build(layoutsText)[:16<<10], uint32(8<<20))
	f.Fuzz(func(t *testing.T, data []byte, size uint32) {
		exercise(t, zeroTail{data: data, size: max(int64(len(data)), int64(size))})
	})
}

func FuzzMetadataText(f *testing.F) {
	_, text := realPVHead(f)
	for _, seed := range []string{text, layoutsText} {
		if _, err := Open(fuzzPV(seed), 8<<20); err != nil {
			f.Fatalf("seed does not open: %v", err)
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 60<<10 || bytes.IndexByte([]byte(text), 0) >= 0 {
			return // does not fit the area / LVM text never holds NUL
		}
		exercise(t, fuzzPV(text))
	})
}
