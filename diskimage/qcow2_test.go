package diskimage

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// guestSize is not a whole number of any cluster size, and spans more
// than one 2 MiB cluster.
const guestSize = 3<<20 + 3*512

func TestQcow2MatchesQemu(t *testing.T) {
	for _, tc := range []struct {
		name       string
		opts       []string
		subformat  string
		compressed bool
	}{
		{"v2 64k", []string{"-o", "compat=0.10"}, "qcow2 v2", false},
		{"v3 512", []string{"-o", "cluster_size=512"}, "qcow2 v3", false},
		{"v3 4k", []string{"-o", "cluster_size=4096"}, "qcow2 v3", false},
		{"v3 64k", nil, "qcow2 v3", false},
		{"v3 2M", []string{"-o", "cluster_size=2M"}, "qcow2 v3", false},
		{"deflate 4k", []string{"-c", "-o", "cluster_size=4096"}, "qcow2 v3", true},
		{"deflate 64k", []string{"-c"}, "qcow2 v3", true},
		{"deflate v2", []string{"-c", "-o", "compat=0.10"}, "qcow2 v2", true},
		{"deflate 2M", []string{"-c", "-o", "cluster_size=2M"}, "qcow2 v3", true},
		{"zstd 64k", []string{"-c", "-o", "compression_type=zstd"}, "qcow2 v3", true},
		{"zstd 512", []string{"-c", "-o", "compression_type=zstd,cluster_size=512"}, "qcow2 v3", true},
		{"zstd 2M", []string{"-c", "-o", "compression_type=zstd,cluster_size=2M"}, "qcow2 v3", true},
		{"extended L2 64k", []string{"-o", "extended_l2=on"}, "qcow2 v3", false},
		{"extended L2 16k", []string{"-o", "extended_l2=on,cluster_size=16k"}, "qcow2 v3", false},
		{"extended L2 compressed", []string{"-c", "-o", "extended_l2=on"}, "qcow2 v3", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			raw, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "disk.qcow2")
			writeGuest(t, raw, guestSize, 1)
			run(t, "qemu-img", append(append([]string{"convert", "-f", "raw", "-O", "qcow2"}, tc.opts...), raw, img)...)
			d := sameAsQemu(t, img, "qcow2")
			info := d.Info()
			if info.Format != "qcow2" || info.Subformat != tc.subformat || info.VirtualSize != guestSize {
				t.Errorf("Info = %+v", info)
			}
			if info.Compressed != tc.compressed {
				t.Errorf("Info.Compressed = %v, want %v", info.Compressed, tc.compressed)
			}
		})
	}
}

// Zero clusters (v3 zero flag, extended L2 zero subclusters, v2's
// deallocation) written over allocated data with qemu-io's write -z.
func TestQcow2ZeroClusters(t *testing.T) {
	for _, tc := range []struct{ name, opts string }{
		{"v3", "compat=1.1"},
		{"v2", "compat=0.10"},
		{"extended L2", "extended_l2=on"},
		{"extended L2 compressed", "extended_l2=on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			raw, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "disk.qcow2")
			writeGuest(t, raw, guestSize, 2)
			args := []string{"convert", "-f", "raw", "-O", "qcow2", "-o", tc.opts}
			if tc.name == "extended L2 compressed" {
				args = append(args, "-c")
			}
			run(t, "qemu-img", append(args, raw, img)...)
			// Whole clusters, a subcluster-sized piece, and a range that
			// leaves the cluster's ends allocated.
			run(t, "qemu-io", "-f", "qcow2", "-c", "write -z 0 128k", "-c", "write -z 1M 2k", "-c", "write -z 2100k 300k",
				"-c", "write -z -u 2560k 64k", "-c", "write -P 0x5a 2560k 4k", img)
			sameAsQemu(t, img, "qcow2")
		})
	}
}

func TestQcow2BackingFile(t *testing.T) {
	dir := t.TempDir()
	base, img := filepath.Join(dir, "base.qcow2"), filepath.Join(dir, "overlay.qcow2")
	run(t, "qemu-img", "create", "-f", "qcow2", base, "4M")
	run(t, "qemu-img", "create", "-f", "qcow2", "-b", base, "-F", "qcow2", img)
	d, err := openFile(t, img)
	if !errors.Is(err, ErrBackingFile) || d == nil {
		t.Fatalf("Open = %v, %v; want a Disk and ErrBackingFile", d, err)
	}
	if info := d.Info(); info.BackingFile != base || info.VirtualSize != 4<<20 {
		t.Errorf("Info = %+v", info)
	}
	if _, err := d.ReadAt(make([]byte, 512), 0); !errors.Is(err, ErrBackingFile) {
		t.Errorf("ReadAt = %v, want ErrBackingFile", err)
	}
}

func TestQcow2DataFileAndEncryption(t *testing.T) {
	dir := t.TempDir()
	data, withData := filepath.Join(dir, "disk.data"), filepath.Join(dir, "ext.qcow2")
	run(t, "qemu-img", "create", "-f", "qcow2", "-o", "data_file="+data, withData, "4M")
	d, err := openFile(t, withData)
	if !errors.Is(err, ErrDataFile) || d == nil || d.Info().DataFile != data {
		t.Errorf("external data file: Open = %+v, %v", d, err)
	}

	secret := filepath.Join(dir, "pass")
	if err := os.WriteFile(secret, []byte("passw0rd"), 0o600); err != nil {
		t.Fatal(err)
	}
	enc := filepath.Join(dir, "enc.qcow2")
	run(t, "qemu-img", "create", "-f", "qcow2", "--object", "secret,id=sec0,file="+secret,
		"-o", "encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10", enc, "4M")
	d, err = openFile(t, enc)
	if !errors.Is(err, ErrEncrypted) || d == nil || !d.Info().Encrypted || d.Size() != 4<<20 {
		t.Errorf("encrypted: Open = %+v, %v", d, err)
	}
}
