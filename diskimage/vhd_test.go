package diskimage

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestVHDMatchesQemu(t *testing.T) {
	for _, tc := range []struct{ name, opts, subformat string }{
		{"fixed force_size", "subformat=fixed,force_size=on", "vhd fixed"},
		{"dynamic force_size", "subformat=dynamic,force_size=on", "vhd dynamic"},
		{"fixed CHS", "subformat=fixed", "vhd fixed"},
		{"dynamic CHS", "subformat=dynamic", "vhd dynamic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			raw, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "disk.vhd")
			writeGuest(t, raw, guestSize, 5)
			run(t, "qemu-img", "convert", "-f", "raw", "-O", "vpc", "-o", tc.opts, raw, img)
			// Zeros written over data leave an allocated block of zeros.
			run(t, "qemu-io", "-f", "vpc", "-c", "write -z 0 64k", img)
			info := sameAsQemu(t, img, "vpc").Info()
			if info.Format != "VHD" || info.Subformat != tc.subformat {
				t.Errorf("Info = %+v", info)
			}
			if tc.subformat == "vhd dynamic" && (info.Allocated <= 0 || info.Allocated > info.VirtualSize) {
				t.Errorf("Info.Allocated = %d of %d", info.Allocated, info.VirtualSize)
			}
		})
	}
}

func TestVHDDifferencing(t *testing.T) {
	dir := t.TempDir()
	base, img := filepath.Join(dir, "base.vhd"), filepath.Join(dir, "child.vhd")
	run(t, "qemu-img", "create", "-f", "vpc", base, "4M")
	// qemu-img cannot create differencing VHDs; patch a dynamic one.
	run(t, "qemu-img", "create", "-f", "vpc", img, "4M")
	b := readFile(t, img)
	b[vhdDiskType+3] = vhdTypeDifferencing
	putVHDChecksum(b[:vhdFooterLen])
	copy(b[len(b)-vhdFooterLen:], b[:vhdFooterLen])
	hdr := b[vhdFooterLen : vhdFooterLen+vhdHeaderLen]
	for i, c := range "base.vhd" {
		hdr[vhdParentAt+2*i+1] = byte(c)
	}
	writeFile(t, img, b)
	d, err := openFile(t, img)
	if !errors.Is(err, ErrBackingFile) || d == nil || d.Info().BackingFile != "base.vhd" {
		t.Fatalf("Open(differencing) = %+v, %v", d, err)
	}
}
