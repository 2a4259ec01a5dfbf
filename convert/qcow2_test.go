package convert

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is missing: run scripts/test-deps.sh", tool)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// sparseRaw writes a sparse RAW of size bytes with data at the offsets given.
func sparseRaw(t *testing.T, size int64, at ...int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "disk.raw")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	for i, off := range at {
		b := bytes.Repeat([]byte{byte(i + 1), 0xA5}, 3000)
		if off+int64(len(b)) > size {
			b = b[:size-off]
		}
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// convertFile converts the RAW at path both ways (random access and
// stream) and checks the two are the same bytes; it returns the qcow2 path.
func convertFile(t *testing.T, raw string) (string, *Layout) {
	t.Helper()
	f, err := os.Open(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	data, err := ScanFile(context.Background(), f, fi.Size(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() <= 64<<20 { // reading gigabytes of zeros proves nothing more
		seq, err := Scan(context.Background(), f2(t, raw), fi.Size(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(data, seq) {
			t.Fatalf("ScanFile found %v, Scan %v", data, seq)
		}
	}
	l, err := NewLayout(fi.Size(), data)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "disk.qcow2")
	w, _ := os.Create(out)
	if _, err := io.Copy(w, io.NewSectionReader(l.ReaderAt(f), 0, l.Size())); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var streamed bytes.Buffer
	if _, err := io.Copy(&streamed, l.Stream(f2(t, raw))); err != nil {
		t.Fatal(err)
	}
	random, _ := os.ReadFile(out)
	if !bytes.Equal(random, streamed.Bytes()) || int64(len(random)) != l.Size() {
		t.Fatalf("ReaderAt (%d B) and Stream (%d B) differ; Size says %d", len(random), streamed.Len(), l.Size())
	}
	return out, l
}

func f2(t *testing.T, p string) *os.File {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestQemuImgAcceptsAndComparesEqual(t *testing.T) {
	need(t, "qemu-img")
	for name, c := range map[string]struct {
		size int64
		at   []int64
	}{
		"small":                    {10 << 20, []int64{0, 5<<20 + 17}},
		"size not cluster-aligned": {10<<20 + 12345, []int64{0, 10<<20 + 10000}},
		"empty disk":               {64 << 20, nil},
		"several L2 tables":        {1100 << 20, []int64{0, 600 << 20, 1100<<20 - 7000}},
		"data across a cluster":    {4 << 20, []int64{ClusterSize - 100}},
	} {
		t.Run(name, func(t *testing.T) {
			raw := sparseRaw(t, c.size, c.at...)
			q, l := convertFile(t, raw)
			run(t, "qemu-img", "check", "-f", "qcow2", q)
			run(t, "qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, q)
			info := run(t, "qemu-img", "info", "--output=json", q)
			if !strings.Contains(info, `"virtual-size": `+itoa((c.size+511)/512*512)) {
				t.Fatalf("qemu-img info: %s", info)
			}
			if want := int64(len(l.data)) * ClusterSize; l.DataBytes() != want || l.Size() > want+(l.metaClusters()*ClusterSize) {
				t.Fatalf("size %d for %d data bytes", l.Size(), want)
			}
		})
	}
}

func TestStreamCatchesASourceThatChanged(t *testing.T) {
	raw := sparseRaw(t, 4<<20, 0)
	f := f2(t, raw)
	data, err := ScanFile(context.Background(), f, 4<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := NewLayout(4<<20, data)
	// Data appears in a cluster the scan found zero, before and after the
	// last data cluster.
	for _, off := range []int64{2 << 20, 4<<20 - 1} {
		changed := sparseRaw(t, 4<<20, 0, off)
		_, err := io.Copy(io.Discard, l.Stream(f2(t, changed)))
		if !errors.Is(err, ErrSourceChanged) {
			t.Errorf("data at %d: want ErrSourceChanged, got %v", off, err)
		}
	}
	// A shorter source.
	short := sparseRaw(t, 1<<20, 0)
	if _, err := io.Copy(io.Discard, l.Stream(f2(t, short))); !errors.Is(err, ErrSourceChanged) {
		t.Errorf("short source: want ErrSourceChanged, got %v", err)
	}
	if _, err := io.Copy(io.Discard, io.NewSectionReader(l.ReaderAt(f2(t, short)), 0, l.Size())); err != nil {
		t.Logf("ReaderAt of a short source: %v", err)
	}
}

func TestLayoutCountsEveryCluster(t *testing.T) {
	// Enough data clusters for several refcount blocks; check the layout's
	// arithmetic without writing gigabytes.
	var data []int64
	for i := int64(0); i < 3*rcEntries; i += 1 {
		data = append(data, i*2)
	}
	l, err := NewLayout(int64(7*rcEntries)*ClusterSize, data)
	if err != nil {
		t.Fatal(err)
	}
	if l.rbCount*rcEntries < l.total {
		t.Fatalf("%d refcount blocks cover %d clusters, the file has %d", l.rbCount, l.rbCount*rcEntries, l.total)
	}
	if l.rbCount != 4 {
		t.Fatalf("rbCount %d, want 4", l.rbCount)
	}
	buf := make([]byte, ClusterSize)
	l.meta(l.l2At, buf)
	if got := int64(bytesToU64(buf[16:]) &^ oflagCopied); got != (l.dataAt+1)*ClusterSize {
		t.Fatalf("L2[2] (guest cluster 2, the second data cluster) = %d", got)
	}
}

func bytesToU64(b []byte) uint64 {
	var v uint64
	for _, x := range b[:8] {
		v = v<<8 | uint64(x)
	}
	return v
}

func TestLayoutRefusesNonsense(t *testing.T) {
	for _, c := range []struct {
		size int64
		data []int64
	}{
		{0, nil}, {-1, nil}, {MaxVirtualSize + 1, nil},
		{1 << 20, []int64{100}}, {1 << 20, []int64{3, 2}}, {1 << 20, []int64{1, 1}}, {1 << 20, []int64{-1}},
	} {
		if _, err := NewLayout(c.size, c.data); err == nil {
			t.Errorf("NewLayout(%d, %v) accepted", c.size, c.data)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
