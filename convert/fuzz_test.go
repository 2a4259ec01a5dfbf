package convert

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func FuzzParseOVF(f *testing.F) {
	f.Add([]byte(ovf("d.vmdk")))
	f.Add([]byte(ovf("a.vmdk", "b.vmdk")))
	f.Add([]byte(`<Envelope><References><File id="x" href="d"/></References><DiskSection><Disk diskId="d" fileRef="x"/></DiskSection></Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseOVF(b)
		if err == nil && d.Member == "" {
			t.Fatal("a disk without a member")
		}
	})
}

// FuzzPlan: any file, planned and produced, fails cleanly or gives
// exactly Size bytes, the same on a second Open.
func FuzzPlan(f *testing.F) {
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		w := newGzipWriter(&out)
		w.Write(b)
		w.Close()
		return out.Bytes()
	}
	disk := make([]byte, 3*ClusterSize)
	copy(disk[ClusterSize:], "data")
	f.Add(disk)
	f.Add(gz(disk))
	f.Add([]byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46\x02\x00\x21\x01\x16\x00\x00\x00"))
	f.Add([]byte("\x28\xb5\x2f\xfd\x04\x00garbage"))
	f.Add([]byte("BZh9garbage"))
	f.Add(append(bytes.Repeat([]byte{0}, 257), "ustar\x0000"...))
	f.Add([]byte("QFI\xfb\x00\x00\x00\x03"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "img")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := NewPlan(context.Background(), path, Options{QemuImg: "/nonexistent"})
		if err != nil {
			return
		}
		if p.Size < 0 || p.Size > 1<<30 {
			t.Fatalf("size %d from a %d-byte file", p.Size, len(b))
		}
		var first []byte
		for range 2 {
			src, err := p.Open()
			if err != nil {
				t.Fatal(err)
			}
			r := src.Stream
			if src.At != nil {
				r = io.NewSectionReader(src.At, 0, src.Size)
			}
			got, err := io.ReadAll(r)
			src.Close()
			if err != nil {
				t.Fatalf("producing: %v", err)
			}
			if int64(len(got)) != p.Size || (first != nil && !bytes.Equal(first, got)) {
				t.Fatalf("produced %d bytes, plan %d", len(got), p.Size)
			}
			first = got
		}
	})
}

func newGzipWriter(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) }
