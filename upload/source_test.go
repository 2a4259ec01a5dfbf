package upload

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

// planned plans path with convert and returns it as an upload Source.
func planned(t *testing.T, path string, o convert.Options) (*convert.Plan, *Source) {
	t.Helper()
	p, err := convert.NewPlan(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	s := &Source{Size: p.Size, Conversion: p.Conversion, DiskSize: p.VirtualSize, DataBytes: p.DataBytes,
		Open: func() (Opened, error) {
			src, err := p.Open()
			if err != nil {
				return Opened{}, err
			}
			return Opened{At: src.At, Stream: src.Stream, Close: src.Close}, nil
		}}
	return p, s
}

func tool(t *testing.T, name string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is missing: run scripts/test-deps.sh", name)
	}
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// sparseDisk is a sparse RAW with 1 MiB of data every 8 MiB.
func sparseDisk(t *testing.T, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.raw")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Truncate(size)
	block := bytes.Repeat([]byte("uimport data "), 1<<20/13+1)[:1<<20]
	for off := int64(0); off < size; off += 8 << 20 {
		block[0] = byte(off >> 20)
		f.WriteAt(block[:min(int64(len(block)), size-off)], off)
	}
	return path
}

// storedIsDisk checks the stored object is the produced bytes (ETag
// verified) and the same guest disk as raw.
func (e *env) storedIsDisk(key, raw, format string, src *Source, res Result) {
	e.t.Helper()
	path, etag, ok := e.srv.UploadedObject(testBucket, key)
	if !ok {
		e.t.Fatalf("no object %s stored", key)
	}
	op, err := src.Open()
	if err != nil {
		e.t.Fatal(err)
	}
	defer op.Close()
	var want bytes.Buffer
	if op.At != nil {
		buf := make([]byte, src.Size)
		op.At.ReadAt(buf, 0)
		want.Write(buf)
	} else {
		want.ReadFrom(op.Stream)
	}
	wantETag, _ := ufile.ETag(bytes.NewReader(want.Bytes()))
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want.Bytes()) || etag != wantETag || res.ETag != wantETag || !res.Verified || res.Size != src.Size {
		e.t.Fatalf("stored %d bytes (ETag %s), produced %d (ETag %s); result %+v", len(got), etag, want.Len(), wantETag, res)
	}
	tool(e.t, "qemu-img", "compare", "-f", "raw", "-F", format, raw, path)
}

func TestUploadSources(t *testing.T) {
	const mib = 1 << 20
	raw := sparseDisk(t, 48*mib)
	tool(t, "xz", "-T1", "-0", "-k", raw)
	for _, tc := range []struct {
		name, file, format string
		blk                int64
		random             bool
	}{
		{"raw to qcow2, random access", raw, "qcow2", 4 * mib, true},
		{"xz to qcow2, stream", raw + ".xz", "qcow2", 4 * mib, false},
		{"xz to qcow2, stream, 3 MiB parts", raw + ".xz", "qcow2", 3 * mib, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, demoapi.UploadOptions{BlkSize: tc.blk})
			p, src := planned(t, tc.file, convert.Options{})
			if p.RandomAccess != tc.random || p.Size >= 48*mib/2 {
				t.Fatalf("plan %+v", p)
			}
			var pl progressLog
			var mu sync.Mutex
			buffers := 0
			o := e.opts(tc.file)
			o.Key, o.Source, o.Progress, o.Parallel = "disk.qcow2", src, pl.fn, 3
			o.alloc = func(n int) []byte { mu.Lock(); buffers++; mu.Unlock(); return make([]byte, n) }
			res, err := Upload(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			e.storedIsDisk("disk.qcow2", raw, tc.format, src, res)
			last := pl.calls[len(pl.calls)-1]
			if last.DiskSize != 48*mib || last.DataBytes != p.DataBytes || last.Total != p.Size || last.Done != p.Size {
				t.Errorf("last progress %+v", last)
			}
			if res.DiskSize != 48*mib || res.DataBytes != p.DataBytes || res.Conversion != p.Conversion {
				t.Errorf("result %+v", res)
			}
			if buffers > 3 {
				t.Errorf("%d part buffers for 3 in flight", buffers)
			}
		})
	}
}

func TestSourceResumeSendsNoPartTwice(t *testing.T) {
	raw := sparseDisk(t, 40<<20)
	tool(t, "gzip", "-1", "-k", raw)
	for _, torn := range []bool{false, true} {
		t.Run(map[bool]string{false: "interrupted", true: "killed mid-write"}[torn], func(t *testing.T) {
			e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10, ListPartsMax: 5})
			_, src := planned(t, raw+".gz", convert.Options{})
			o := e.opts(raw + ".gz")
			o.Key, o.Source = "d.qcow2", src
			id := e.interrupted(o, 4)
			if torn {
				tearLastLine(t, e.dir)
			}
			// A new process plans again: the same bytes.
			_, again := planned(t, raw+".gz", convert.Options{})
			o.Source = again
			res, err := Upload(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			e.storedIsDisk("d.qcow2", raw, "qcow2", again, res)
			if !res.Resumed || res.SkippedParts < 3 || e.lastUploadID() != id {
				t.Errorf("result %+v", res)
			}
			e.noPartTwice(id, res.Parts)
		})
	}
}

func TestSourceOptionsChangedStartsOver(t *testing.T) {
	raw := sparseDisk(t, 64<<20)
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	_, conv := planned(t, raw, convert.Options{})
	o := e.opts(raw)
	o.Key, o.Source = "d", conv
	first := e.interrupted(o, 2)
	_, asIs := planned(t, raw, convert.Options{AsIs: true})
	o.Source = nil // --as-is: the file's own bytes
	if asIs.Conversion != "" {
		t.Fatalf("as-is conversion %q", asIs.Conversion)
	}
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(raw, "d", res)
	if res.Resumed || e.lastUploadID() == first || !strings.Contains(strings.Join(res.Notes, " "), "changed") {
		t.Errorf("result %+v", res)
	}
}

func TestSourceThatFailsIsNeverSuccess(t *testing.T) {
	raw := sparseDisk(t, 16<<20)
	tool(t, "gzip", "-1", "-k", raw)
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	_, src := planned(t, raw+".gz", convert.Options{})
	// The file is damaged after planning: the stream fails part-way.
	b, _ := os.ReadFile(raw + ".gz")
	b[len(b)/2] ^= 0xff
	os.WriteFile(raw+".gz", b, 0o600)
	o := e.opts(raw + ".gz")
	o.Source = src
	_, err := Upload(context.Background(), o)
	// Damaged deflate data fails to decode, or decodes to other bytes
	// (caught where the plan saw zeros, or by the CRC at the end).
	var ue *Error
	if !errors.As(err, &ue) || !(strings.Contains(err.Error(), "gzip") || errors.Is(err, convert.ErrSourceChanged)) {
		t.Fatalf("want an Error naming gzip, got %v", err)
	}
	if _, _, ok := e.srv.UploadedObject(testBucket, "disk.raw.gz"); ok {
		t.Fatal("an object was stored")
	}
	// A stream longer than its Size is caught too.
	short := *src
	short.Size -= 512
	o.Source = &short
	os.WriteFile(raw+".gz", nil, 0o600)
	tool(t, "gzip", "-1", "-k", "-f", raw)
	if _, err := Upload(context.Background(), o); err == nil || !strings.Contains(err.Error(), "longer") {
		t.Fatalf("a longer stream: %v", err)
	}
}

func TestSmallSource(t *testing.T) {
	raw := sparseDisk(t, 8<<20)
	tool(t, "zstd", "-q", "-k", raw)
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 4 << 20})
	_, src := planned(t, raw+".zst", convert.Options{})
	if src.Size > 4<<20 {
		t.Fatalf("size %d", src.Size)
	}
	o := e.opts(raw + ".zst")
	o.Key, o.Source = "s.qcow2", src
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.storedIsDisk("s.qcow2", raw, "qcow2", src, res)
}
