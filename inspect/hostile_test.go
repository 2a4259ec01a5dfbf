package inspect

import (
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/internal/guestimage"
)

// hostileGuest has a looping os-release, terminal escapes in fstab and
// grub.cfg, a garbage initramfs and a kernel without virtio_blk.
func hostileGuest() guestimage.Scenario {
	return guestimage.Custom("hostile", func(work string) (guestimage.Disk, error) {
		l := guestimage.Linux{
			Kernels: []guestimage.Kernel{
				{Version: "6.6.6-evil", Virtio: "module"},
				{Version: "6.6.7-novirtio", Virtio: "none", Initramfs: guestimage.Initramfs{Compression: "gzip"}},
			},
			Fstab: "/dev/sda1\x1b[2J / ext4 defaults 0 1\nLABEL=\x1b]0;pwned\x07 /boot ext4 defaults 0 0\n",
			Boot: guestimage.Tree{
				"grub/grub.cfg":             guestimage.File("set default=\"\x1b[31m\"\nmenuentry 'x' {\n linux /vmlinuz-6.6.6-evil root=/dev/sda1\n}\n"),
				"initrd.img-6.6.6-evil":     guestimage.File("070701 garbage \x1b[2J"),
				"grub/grubenv":              guestimage.Link("grubenv"),
				"loader/entries/loop.conf":  guestimage.Link("loop.conf"),
				"loader/entries/dir.conf/x": guestimage.File(""),
			},
			Extra: guestimage.Tree{
				"etc/os-release":                         guestimage.Link("os-release.d/next"),
				"etc/os-release.d/next":                  guestimage.Link("../os-release"),
				"usr/lib/os-release":                     guestimage.Link("/etc/os-release"),
				"etc/redhat-release":                     guestimage.File("\x1b[2JCentOS Linux release 7.9.2009 (Core)\n"),
				"lib/modules/6.6.6-evil/modules.builtin": guestimage.Link("/dev/zero"),
			},
		}
		root, _, err := l.Trees(work, false)
		if err != nil {
			return guestimage.Disk{}, err
		}
		return guestimage.Disk{Table: guestimage.MBR, Parts: []guestimage.Part{
			{Size: 8 * guestimage.MiB, Type: guestimage.TypeLinux, FS: guestimage.FS{Kind: guestimage.Ext4, Tree: root}},
		}}, nil
	})
}

func noControlChars(t *testing.T, r *Report) {
	t.Helper()
	for _, f := range r.Findings {
		if strings.ContainsFunc(f.Message+f.Fix, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			t.Errorf("control characters in %+v", f)
		}
	}
}

func TestHostileGuest(t *testing.T) {
	path := guestimage.BuildT(t, hostileGuest(), "qcow2")
	r := inspectFile(t, path, Options{})
	noControlChars(t, r)
	ids := findingIDs(r)
	for _, want := range []string{IDDeviceNames, IDUninspectable, IDNoCloudInit} {
		if !slices.Contains(ids, want) {
			t.Errorf("no %s among %v", want, ids)
		}
	}
	if r.OS == nil || r.OS.ID != "centos" {
		t.Errorf("os = %+v: the release file past the loop should still count", r.OS)
	}
	if !anyFinding(r, IDUninspectable, "/boot/initrd.img-6.6.6-evil: initramfs:") {
		t.Errorf("uninspectable = %+v", r.Findings)
	}
}

func qemuImg(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("qemu-img", args...).CombinedOutput(); err != nil {
		t.Fatalf("qemu-img %v: %v\n%s (run scripts/test-deps.sh)", args, err, out)
	}
}

func TestContainerFindings(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.qcow2")
	qemuImg(t, "create", "-q", "-f", "qcow2", base, "64M")
	overlay := filepath.Join(dir, "overlay.qcow2")
	qemuImg(t, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", overlay)
	enc := filepath.Join(dir, "enc.qcow2")
	qemuImg(t, "create", "-q", "--object", "secret,id=sec0,data=pw", "-f", "qcow2", "-o", "encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10", enc, "16M")
	big := filepath.Join(dir, "big.qcow2")
	qemuImg(t, "create", "-q", "-f", "qcow2", big, "60G")
	for name, tc := range map[string]struct {
		path string
		ids  []string
	}{
		"backing file": {overlay, []string{IDBackingFile}},
		"encrypted":    {enc, []string{IDEncrypted}},
		"over 50 GB":   {big, []string{IDSize, IDUninspectable}},
	} {
		t.Run(name, func(t *testing.T) {
			r := inspectFile(t, tc.path, Options{})
			if got := findingIDs(r); !slices.Equal(got, tc.ids) {
				t.Errorf("ids = %v, want %v: %+v", got, tc.ids, r.Findings)
			}
			if r.Format != "qcow2" {
				t.Errorf("format = %q", r.Format)
			}
		})
	}
}

func TestCorruptContainer(t *testing.T) {
	path := guestimage.BuildT(t, guestimage.Tiny(), "qcow2")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Point every L1 entry past the end of the file.
	l1 := binary.BigEndian.Uint64(b[40:])
	n := binary.BigEndian.Uint32(b[36:])
	for i := uint64(0); i < uint64(n); i++ {
		binary.BigEndian.PutUint64(b[l1+8*i:], 1<<40|1<<63)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r := inspectFile(t, path, Options{})
	if !r.Has(IDCorrupt) || finding(r, IDCorrupt).Severity != Block {
		t.Errorf("findings = %+v", r.Findings)
	}
	noControlChars(t, r)
}

func TestTruncatedAndTimedOut(t *testing.T) {
	raw := guestimage.BuildT(t, guestimage.Tiny(), "raw")
	if err := os.Truncate(raw, 3<<20); err != nil {
		t.Fatal(err)
	}
	r := inspectFile(t, raw, Options{})
	if !anyFinding(r, IDCorrupt, "partition 1 ends past the end of the disk") {
		t.Errorf("truncated: %+v", r.Findings)
	}
	raw2 := guestimage.BuildT(t, guestimage.Tiny(), "raw")
	start := time.Now()
	r = inspectFile(t, raw2, Options{Budget: time.Nanosecond})
	if len(r.Findings) != 1 || !anyFinding(r, IDUninspectable, "ran out of time") || time.Since(start) > 5*time.Second {
		t.Errorf("budget: %+v", r.Findings)
	}
}

func TestNotAnImage(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.vhdx")
	if err := os.WriteFile(p, append([]byte("vhdxfile"), make([]byte, 1<<20)...), 0o644); err != nil {
		t.Fatal(err)
	}
	r := inspectFile(t, p, Options{})
	if r.Format != "VHDX" || !r.Has(IDUninspectable) {
		t.Errorf("%+v", r)
	}
	if _, err := Inspect(context.Background(), errReader{}, 1<<20, Options{}); err == nil {
		t.Error("an unreadable image gave no error")
	}
}

type errReader struct{}

func (errReader) ReadAt([]byte, int64) (int, error) { return 0, os.ErrPermission }

func anyFinding(r *Report, id, text string) bool {
	for _, f := range r.Findings {
		if f.ID == id && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}
