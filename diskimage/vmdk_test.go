package diskimage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestVMDKMatchesQemu(t *testing.T) {
	for _, tc := range []struct {
		name, opts, subformat string
		compressed            bool
	}{
		{"monolithicSparse", "subformat=monolithicSparse", "monolithicSparse", false},
		{"monolithicSparse zeroed grains", "subformat=monolithicSparse,zeroed_grain=on", "monolithicSparse", false},
		{"streamOptimized", "subformat=streamOptimized", "streamOptimized", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			raw, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "disk.vmdk")
			writeGuest(t, raw, guestSize, 3)
			run(t, "qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", tc.opts, raw, img)
			if tc.name == "monolithicSparse zeroed grains" {
				run(t, "qemu-io", "-f", "vmdk", "-c", "write -z 0 256k", "-c", "write -z 1M 64k", img)
			}
			info := sameAsQemu(t, img, "vmdk").Info()
			if info.Format != "VMDK" || info.Subformat != tc.subformat || info.Compressed != tc.compressed || info.VirtualSize != guestSize {
				t.Errorf("Info = %+v", info)
			}
		})
	}
}

// VMware writes streamOptimized files with GD_AT_END in the header and the
// real header (with the grain directory offset) in a footer at the end;
// qemu-img does not. The fixture is qemu-img's file rewritten that way:
// the header's gdOffset becomes 0xffffffffffffffff, the end-of-stream
// marker qemu wrote (an all-zero last sector) is dropped, and a footer
// marker (size 0, type 3), the original header as the footer and a new
// end-of-stream marker are appended. qemu-img reads the result too, so
// the check is still against its conversion.
func TestVMDKFooter(t *testing.T) {
	dir := t.TempDir()
	raw, orig, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "qemu.vmdk"), filepath.Join(dir, "vmware.vmdk")
	writeGuest(t, raw, guestSize, 4)
	run(t, "qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized", raw, orig)
	writeFile(t, img, withVMDKFooter(t, readFile(t, orig)))
	sameAsQemu(t, img, "vmdk")
	if want, got := qemuRaw(t, orig, "vmdk"), qemuRaw(t, img, "vmdk"); !bytes.Equal(want, got) {
		t.Fatal("qemu-img reads the rewritten file differently: the fixture is wrong")
	}

	// A footer form whose footer is missing is damage, said as such.
	b := readFile(t, img)
	writeFile(t, img, b[:len(b)-512])
	var ce *CorruptError
	if _, err := openFile(t, img); !errors.As(err, &ce) {
		t.Errorf("Open without the end-of-stream marker = %v, want *CorruptError", err)
	}
}

func withVMDKFooter(t *testing.T, b []byte) []byte {
	t.Helper()
	footer := bytes.Clone(b[:512])
	header := bytes.Clone(b[:512])
	binary.LittleEndian.PutUint64(header[vmdkGDOffset:], vmdkGDAtEnd)
	body := b[512:]
	if bytes.Equal(body[len(body)-512:], make([]byte, 512)) {
		body = body[:len(body)-512]
	}
	marker := make([]byte, 512)
	binary.LittleEndian.PutUint64(marker, 1) // the footer's length in sectors
	binary.LittleEndian.PutUint32(marker[12:], vmdkMarkerFoot)
	return bytes.Join([][]byte{header, body, marker, footer, make([]byte, 512)}, nil)
}

func TestVMDKDescriptorOnly(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "flat.vmdk")
	run(t, "qemu-img", "create", "-f", "vmdk", "-o", "subformat=monolithicFlat", img, "4M")
	_, err := openFile(t, img)
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.Format != "VMDK" || ue.Fix == "" {
		t.Fatalf("Open(monolithicFlat descriptor) = %v, want *UnsupportedError with a fix", err)
	}
	t.Log(ue.Reason)
}

func TestVMDKParent(t *testing.T) {
	dir := t.TempDir()
	base, img := filepath.Join(dir, "base.vmdk"), filepath.Join(dir, "child.vmdk")
	run(t, "qemu-img", "create", "-f", "vmdk", base, "4M")
	run(t, "qemu-img", "create", "-f", "vmdk", "-b", base, "-F", "vmdk", img)
	d, err := openFile(t, img)
	if !errors.Is(err, ErrBackingFile) || d == nil || d.Info().BackingFile != base {
		t.Fatalf("Open(child) = %+v, %v; want Info.BackingFile %s and ErrBackingFile", d, err, base)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
