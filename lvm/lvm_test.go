package lvm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// readAll reads a whole LV through its io.ReaderAt.
func readAll(t *testing.T, r io.ReaderAt, size int64) []byte {
	t.Helper()
	buf := make([]byte, size)
	if n, err := r.ReadAt(buf, 0); n != len(buf) || (err != nil && err != io.EOF) {
		t.Fatalf("read %d of %d bytes: %v", n, size, err)
	}
	return buf
}

func TestLinearVolumesOnTwoPVs(t *testing.T) {
	t.Parallel()
	f := newLVMFixture(t, 2, 24<<20)
	pv0, pv1 := f.loops[0], f.loops[1]
	f.lvm("pvcreate", pv0)
	f.lvm("pvcreate", "--pvmetadatacopies", "2", pv1)
	f.lvm("vgcreate", "-s", "1M", "vgtest", pv0, pv1)
	create := []string{"lvcreate", "--driverloaded", "n", "-Zn", "-an"}
	f.lvm(append(create, "-L", "4M", "-n", "root", "vgtest", pv0)...)
	f.lvm(append(create, "-L", "4M", "-n", "swap", "vgtest", pv0)...)
	// Extending root after swap gives it a second segment.
	f.lvm("lvextend", "--driverloaded", "n", "-L", "+4M", "vgtest/root", pv0)
	f.lvm(append(create, "-L", "4M", "-n", "my-data", "vgtest", pv1)...)
	f.lvm(append(create, "-i", "2", "-I", "64k", "-L", "2M", "-n", "striped", "vgtest")...)
	f.lvm(append(create, "-l", "100%FREE", "-n", "span", "vgtest")...)
	l := f.layout()
	if len(l.segments["root"]) != 2 {
		t.Fatalf("root should have 2 segments, lvm reports %+v", l.segments["root"])
	}
	if devs := map[string]bool{}; true {
		for _, s := range l.segments["span"] {
			devs[s.device] = true
		}
		if len(devs) != 2 {
			t.Fatalf("span should be on both PVs, lvm reports %+v", l.segments["span"])
		}
	}
	for _, lv := range []string{"root", "swap", "my-data", "span"} {
		f.fill(l, lv)
	}

	file0, size0 := openFile(t, f.files[0])
	vg, err := Open(file0, size0)
	if err != nil {
		t.Fatal(err)
	}
	if vg.Name != "vgtest" || vg.ExtentSize != l.extentSize || vg.Seqno != l.seqno || len(vg.PVs) != 2 {
		t.Fatalf("vg %s extent %d seqno %d, %d PVs; lvm says vgtest %d %d, 2", vg.Name, vg.ExtentSize, vg.Seqno, len(vg.PVs), l.extentSize, l.seqno)
	}
	for _, p := range vg.PVs {
		info := l.pvs[p.Device]
		if p.UUID != info.uuid || p.PEStart != info.peStart {
			t.Errorf("PV %+v, lvm says %+v", p, info)
		}
		if p.Present != (p.Device == pv0) {
			t.Errorf("PV %s Present %v", p.Device, p.Present)
		}
	}
	root, _ := vg.LV("root")
	if len(root.Segments) != 2 || root.Size != 8<<20 || !root.Visible {
		t.Errorf("root: %+v", root)
	}
	if st, _ := vg.LV("striped"); st.Unsupported != "striped (2 stripes)" {
		t.Errorf("striped LV: Unsupported %q", st.Unsupported)
	}
	if _, _, err := vg.Open("striped"); !errors.As(err, new(*UnsupportedError)) {
		t.Errorf("opening a striped LV: %v", err)
	}
	for _, lv := range []string{"root", "swap"} {
		r, size, err := vg.Open(lv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(readAll(t, r, size), pattern(lv, 0, size)) {
			t.Errorf("%s: contents differ from what dd wrote", lv)
		}
	}
	// A read across root's two segments, and one past its end.
	r, size, _ := vg.Open("root")
	buf := make([]byte, 4096)
	if n, err := r.ReadAt(buf, 4<<20-2048); n != len(buf) || err != nil || !bytes.Equal(buf, pattern("root", 4<<20-2048, 4096)) {
		t.Errorf("read across segments: %d %v", n, err)
	}
	if n, err := r.ReadAt(buf, size-1024); n != 1024 || err != io.EOF {
		t.Errorf("read over the end: %d %v", n, err)
	}

	// span and my-data need the second PV.
	pv1UUID := l.pvs[pv1].uuid
	for _, lv := range []string{"span", "my-data"} {
		_, _, err := vg.Open(lv)
		var missing *MissingPVError
		if !errors.As(err, &missing) || !strings.Contains(err.Error(), "needs PV "+pv1UUID) {
			t.Errorf("%s without its PV: %v", lv, err)
		}
	}
	file1, size1 := openFile(t, f.files[1])
	if err := vg.AddPV(file1, size1); err != nil {
		t.Fatal(err)
	}
	for _, lv := range []string{"span", "my-data"} {
		r, size, err := vg.Open(lv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(readAll(t, r, size), pattern(lv, 0, size)) {
			t.Errorf("%s: contents differ from what dd wrote", lv)
		}
	}
	if got := vg.MapperName("my-data"); got != "vgtest-my--data" {
		t.Errorf("MapperName %q", got)
	}
	if _, _, err := vg.Open("nothere"); !errors.Is(err, ErrNoLV) {
		t.Errorf("unknown LV: %v", err)
	}

	// The second PV carries two metadata areas with the same VG.
	vg1, err := Open(file1, size1)
	if err != nil || vg1.Seqno != l.seqno || len(vg1.LVs) != len(vg.LVs) {
		t.Errorf("from the second PV: %v, %+v", err, vg1)
	}
	// Assemble finds the same VG from both PVs, in any order.
	vgs, problems := Assemble([]Device{{file1, size1}, {file0, size0}})
	if len(vgs) != 1 || len(problems) != 0 || !vgs[0].PVs[0].Present || !vgs[0].PVs[1].Present {
		t.Errorf("Assemble: %d VGs, problems %v", len(vgs), problems)
	}
	// Neither a non-PV nor another VG's PV can be added.
	other, err := os.CreateTemp(t.TempDir(), "blank")
	if err != nil {
		t.Fatal(err)
	}
	other.Truncate(1 << 20)
	if err := vg.AddPV(other, 1<<20); !errors.Is(err, ErrNotPV) {
		t.Errorf("AddPV of a blank file: %v", err)
	}
}

// mdaLocation reads the committed metadata's place from a PV file whose
// single metadata area is at 4096.
func mdaLocation(t *testing.T, path string) (off, size, areaSize uint64) {
	h := make([]byte, 512)
	file, _ := openFile(t, path)
	if _, err := file.ReadAt(h, 4096); err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint64(h[40:]), binary.LittleEndian.Uint64(h[48:]), binary.LittleEndian.Uint64(h[32:])
}

func TestMetadataWrapsAroundItsArea(t *testing.T) {
	t.Parallel()
	f := newLVMFixture(t, 1, 16<<20)
	pv := f.loops[0]
	// A small metadata area, so that a few updates wrap around it.
	f.lvm("pvcreate", "--metadatasize", "16k", "--dataalignment", "64k", pv)
	f.lvm("vgcreate", "-s", "1M", "vgwrap", pv)
	f.lvm("lvcreate", "--driverloaded", "n", "-Zn", "-an", "-L", "4M", "-n", "root", "vgwrap")
	// Each update writes the whole metadata after the previous copy;
	// a 900-byte tag makes the text grow ~1 KiB per update.
	tag := strings.Repeat("x", 900)
	wrapped := false
	for i := 0; i < 30 && !wrapped; i++ {
		f.lvm("lvchange", "--driverloaded", "n", "--addtag", tag+string(rune('a'+i)), "vgwrap/root")
		off, size, area := mdaLocation(t, f.files[0])
		wrapped = off+size > area
	}
	if !wrapped {
		t.Fatal("the metadata never wrapped around its area; the fixture needs more updates")
	}
	l := f.layout()
	f.fill(l, "root")
	file, size := openFile(t, f.files[0])
	vg, err := Open(file, size)
	if err != nil {
		t.Fatal(err)
	}
	if vg.Seqno != l.seqno {
		t.Errorf("seqno %d, lvm says %d", vg.Seqno, l.seqno)
	}
	r, n, err := vg.Open("root")
	if err != nil || !bytes.Equal(readAll(t, r, n), pattern("root", 0, n)) {
		t.Errorf("root after wrap: %v", err)
	}
}
