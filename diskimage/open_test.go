package diskimage

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRawIsTheDisk(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "guest.raw")
	writeGuest(t, raw, guestSize, 6)
	info := sameAsQemu(t, raw, "raw").Info()
	if info.Format != "RAW" || info.VirtualSize != guestSize || info.Allocated != guestSize {
		t.Errorf("Info = %+v", info)
	}
}

func TestUnsupportedContainers(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "guest.raw")
	writeGuest(t, raw, 1<<20, 7)
	for _, tc := range []struct{ qemuFormat, want string }{
		{"vhdx", "VHDX"},
		{"vdi", "VDI"},
		{"qed", "QED"},
		{"parallels", "Parallels"},
	} {
		img := filepath.Join(dir, "disk."+tc.qemuFormat)
		run(t, "qemu-img", "convert", "-f", "raw", "-O", tc.qemuFormat, raw, img)
		d, err := openFile(t, img)
		var ue *UnsupportedError
		if d != nil || !errors.As(err, &ue) || ue.Format != tc.want || ue.Reason == "" || ue.Fix == "" {
			t.Errorf("Open(%s) = %v, %v; want *UnsupportedError %s with a reason and a fix", tc.qemuFormat, d, err, tc.want)
		}
	}

	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(readFile(t, raw))
	w.Close()
	var ue *UnsupportedError
	if _, err := Open(bytes.NewReader(gz.Bytes()), int64(gz.Len())); !errors.As(err, &ue) || ue.Format != "gzip" {
		t.Errorf("Open(gzip) = %v, want *UnsupportedError gzip", err)
	}
	if _, err := Open(bytes.NewReader(nil), 0); !errors.As(err, &ue) {
		t.Errorf("Open(empty) = %v, want *UnsupportedError", err)
	}
}

// Damage is reported as *CorruptError saying what and where, by Open when
// it is in what Open reads, else by ReadAt.
func TestCorruptImages(t *testing.T) {
	dir := t.TempDir()
	raw, img := filepath.Join(dir, "guest.raw"), filepath.Join(dir, "disk.qcow2")
	writeGuest(t, raw, guestSize, 8)
	run(t, "qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, img)
	good := readFile(t, img)
	l1 := binary.BigEndian.Uint64(good[q2L1Offset:])

	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
		want   string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "past the end of the file"},
		{"L2 past the end", func(b []byte) []byte {
			binary.BigEndian.PutUint64(b[l1:], 1<<63|1<<40)
			return b
		}, "L2 table at 0x10000000000"},
		{"L2 misaligned", func(b []byte) []byte {
			binary.BigEndian.PutUint64(b[l1:], 1<<63|0x10200)
			return b
		}, "not cluster-aligned"},
		{"cluster bits", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[q2ClusterBits:], 30)
			return b
		}, "cluster_bits is 30"},
		{"L1 too small", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[q2L1Size:], 0)
			return b
		}, "L1 table has 0 entries"},
		{"L1 past the end", func(b []byte) []byte {
			binary.BigEndian.PutUint64(b[q2L1Offset:], 1<<50)
			return b
		}, "L1 table at 0x4000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.damage(bytes.Clone(good))
			err := openAndReadAll(b)
			var ce *CorruptError
			if !errors.As(err, &ce) || !strings.Contains(ce.What, tc.want) {
				t.Fatalf("got %v, want *CorruptError saying %q", err, tc.want)
			}
		})
	}

	// A VHD footer with a wrong checksum.
	vhd := filepath.Join(dir, "disk.vhd")
	run(t, "qemu-img", "convert", "-f", "raw", "-O", "vpc", raw, vhd)
	b := readFile(t, vhd)
	b[vhdCurrentSize] ^= 1
	var ce *CorruptError
	if err := openAndReadAll(b); !errors.As(err, &ce) || !strings.Contains(ce.What, "checksum") {
		t.Errorf("VHD with a bad checksum: %v", err)
	}
}

// openAndReadAll opens b and reads the whole disk, returning the first
// error.
func openAndReadAll(b []byte) error {
	d, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, io.NewSectionReader(d, 0, d.Size()))
	return err
}

// countingReader counts reads, as a remote file's HTTP requests.
type countingReader struct {
	r     io.ReaderAt
	reads atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads.Add(1)
	return c.r.ReadAt(p, off)
}

// A remote image costs a request per read: reading a whole disk in 1 MiB
// pieces takes a few reads per piece (tables once, data runs together),
// not one per cluster.
func TestFewReads(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "guest.raw")
	writeGuest(t, raw, guestSize, 9)
	for _, tc := range []struct {
		format string
		opts   []string
		max    int64
	}{
		{"qcow2", []string{"-o", "cluster_size=4096"}, 30},
		{"vmdk", nil, 30},
		{"vpc", []string{"-o", "force_size=on"}, 30},
	} {
		img := filepath.Join(dir, "disk."+tc.format)
		run(t, "qemu-img", append(append([]string{"convert", "-f", "raw", "-O", tc.format}, tc.opts...), raw, img)...)
		b := readFile(t, img)
		c := &countingReader{r: bytes.NewReader(b)}
		d, err := Open(c, int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1<<20)
		for off := int64(0); off < d.Size(); off += int64(len(buf)) {
			if _, err := d.ReadAt(buf, off); err != nil && err != io.EOF {
				t.Fatal(err)
			}
		}
		if n := c.reads.Load(); n > tc.max {
			t.Errorf("%s: %d reads of the file for a %d-byte disk, want at most %d", tc.format, n, d.Size(), tc.max)
		} else {
			t.Logf("%s: %d reads for a %d-byte disk", tc.format, n, d.Size())
		}
	}
}
