package convert

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/imageformat"
)

func TestPlanQemuConversions(t *testing.T) {
	need(t, "qemu-img")
	raw := sparseRaw(t, 16<<20, 0, 7<<20)
	dir := t.TempDir()
	base := filepath.Join(dir, "base.qcow2")
	run(t, "qemu-img", "convert", "-O", "qcow2", raw, base)
	overlay := filepath.Join(dir, "overlay.qcow2")
	run(t, "qemu-img", "create", "-f", "qcow2", "-F", "qcow2", "-b", base, overlay)
	for _, c := range []struct{ name, fmt, path string }{
		{"vhdx", "VHDX", ""}, {"vdi", "VDI", ""}, {"qed", "QED", ""}, {"backing file", "qcow2", overlay},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := c.path
			if src == "" {
				src = filepath.Join(t.TempDir(), "disk."+c.name)
				run(t, "qemu-img", "convert", "-O", c.name, raw, src)
			}
			tmp := t.TempDir()
			p := plan(t, src, Options{TempDir: tmp})
			if p.Qemu == nil || p.Format != imageformat.QCOW2 || p.Size != 0 || p.Qemu.SpaceNeeded <= 0 ||
				!strings.Contains(p.Steps, strings.ToLower(c.fmt)+" → qcow2 with qemu-img") || !strings.Contains(p.Qemu.Command(), "convert -O qcow2") {
				t.Fatalf("plan %+v", p)
			}
			if _, err := p.Open(); err == nil {
				t.Fatal("Open before RunQemu")
			}
			if err := p.RunQemu(context.Background()); err != nil {
				t.Fatal(err)
			}
			sameDisk(t, raw, p.Format, produce(t, p))
			p.Close()
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Fatalf("Close left %v", left)
			}
		})
	}
}

func TestPlanQemuMissingOrNoSpace(t *testing.T) {
	need(t, "qemu-img")
	raw := sparseRaw(t, 4<<20, 0)
	vdi := filepath.Join(t.TempDir(), "my disk.vdi")
	run(t, "qemu-img", "convert", "-O", "vdi", raw, vdi)
	_, err := NewPlan(context.Background(), vdi, Options{QemuImg: filepath.Join(t.TempDir(), "qemu-img")})
	var qm *QemuMissingError
	if !errors.As(err, &qm) || !strings.Contains(err.Error(), "qemu-img convert -O qcow2 '"+vdi+"' 'my disk.qcow2'") {
		t.Fatalf("no qemu-img: %v", err)
	}
	if _, err := NewPlan(context.Background(), packed(t, vdi, "gzip"), Options{}); err == nil || !strings.Contains(err.Error(), "gunzip -k") {
		t.Fatalf("a packed VDI: %v", err)
	}
	// A tiny file system for the output: too small for the disk.
	if free := freeSpace("/dev/shm"); free >= 0 && free < 4<<20 {
		var se *SpaceError
		if _, err := NewPlan(context.Background(), vdi, Options{TempDir: "/dev/shm"}); !errors.As(err, &se) {
			t.Fatalf("no space: %v", err)
		}
	}
	if freeSpace(t.TempDir()) <= 0 {
		t.Fatal("statfs found no free space in the test's temp dir")
	}
}
