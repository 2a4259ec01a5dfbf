package filesystem

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// mkfs makes a file system of kind with the real tool on a sparse file.
func mkfs(t *testing.T, sizeMiB int64, tool string, args ...string) *os.File {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is missing: run scripts/test-deps.sh", tool)
	}
	p := filepath.Join(t.TempDir(), "fs.img")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, sizeMiB<<20); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, append(args, p)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestDetectKnowsWhatTheToolsMake(t *testing.T) {
	cases := []struct {
		want Kind
		size int64
		tool string
		args []string
	}{
		{Ext2, 8, "mke2fs", []string{"-q", "-F", "-t", "ext2"}},
		{Ext3, 8, "mke2fs", []string{"-q", "-F", "-t", "ext3"}},
		{Ext4, 8, "mke2fs", []string{"-q", "-F", "-t", "ext4"}},
		{Ext4, 8, "mke2fs", []string{"-q", "-F", "-t", "ext4", "-O", "^64bit,^metadata_csum"}},
		{XFS, 300, "mkfs.xfs", []string{"-q", "-f"}},
		{VFAT, 40, "mkfs.vfat", []string{"-F", "32"}},
		{VFAT, 32, "mkfs.vfat", []string{"-F", "16"}},
		{Swap, 8, "mkswap", nil},
		{Btrfs, 128, "mkfs.btrfs", []string{"-q", "-f"}},
		{NTFS, 16, "mkntfs", []string{"-q", "-F", "-f"}},
	}
	for _, c := range cases {
		t.Run(string(c.want)+" "+c.tool, func(t *testing.T) {
			f := mkfs(t, c.size, c.tool, c.args...)
			if got := Detect(f, c.size<<20); got != c.want {
				t.Fatalf("Detect = %q, want %q", got, c.want)
			}
		})
	}
}

func TestDetectSignaturesWithoutTools(t *testing.T) {
	img := func(off int, sig string) []byte {
		b := make([]byte, 1<<20)
		copy(b[off:], sig)
		return b
	}
	for want, b := range map[Kind][]byte{
		LUKS:    img(0, "LUKS\xba\xbe"),
		LVM2PV:  img(512+24, "LVM2 001"),
		ISO9660: img(0x8001, "CD001"),
		Zero:    make([]byte, 1<<20),
		Unknown: img(0, "hello"),
	} {
		if want == LVM2PV {
			copy(b[512:], "LABELONE")
		}
		if got := Detect(readerAt(b), int64(len(b))); got != want {
			t.Errorf("Detect = %q, want %q", got, want)
		}
	}
	// Short and empty inputs are not an error, just unknown.
	for _, b := range [][]byte{nil, {1}, make([]byte, 0x439)} {
		_ = Detect(readerAt(b), int64(len(b)))
	}
}

type readerAt []byte

func (r readerAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(r)) {
		return 0, os.ErrNotExist
	}
	n := copy(p, r[off:])
	if n < len(p) {
		return n, os.ErrNotExist
	}
	return n, nil
}
