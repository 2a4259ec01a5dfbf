package convert

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/imageformat"
)

// produce writes what a plan sends to a file and checks a second Open
// gives the same bytes (what a resume relies on).
func produce(t *testing.T, p *Plan) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "sent")
	first := readSource(t, p)
	if int64(len(first)) != p.Size {
		t.Fatalf("produced %d bytes, the plan said %d", len(first), p.Size)
	}
	if again := readSource(t, p); !bytes.Equal(first, again) {
		t.Fatal("a second Open produced other bytes")
	}
	if err := os.WriteFile(out, first, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func readSource(t *testing.T, p *Plan) []byte {
	t.Helper()
	src, err := p.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if (src.At != nil) != p.RandomAccess {
		t.Fatalf("RandomAccess %v but At set: %v", p.RandomAccess, src.At != nil)
	}
	var r io.Reader = src.Stream
	if src.At != nil {
		r = io.NewSectionReader(src.At, 0, src.Size)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func plan(t *testing.T, path string, o Options) *Plan {
	t.Helper()
	p, err := NewPlan(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// packed compresses path with a real tool, keeping the original.
func packed(t *testing.T, path, tool string, args ...string) string {
	t.Helper()
	need(t, tool)
	ext := map[string]string{"xz": ".xz", "gzip": ".gz", "zstd": ".zst", "bzip2": ".bz2"}[tool]
	run(t, tool, append(args, "-k", "-f", path)...)
	return path + ext
}

func sameDisk(t *testing.T, raw, fmtSent, sent string) {
	t.Helper()
	if fmtSent == imageformat.QCOW2 {
		run(t, "qemu-img", "check", "-f", "qcow2", sent)
	}
	run(t, "qemu-img", "compare", "-f", "raw", "-F", strings.ToLower(fmtSent), raw, sent)
}

func TestPlanLocalRaw(t *testing.T) {
	need(t, "qemu-img")
	sparse := sparseRaw(t, 64<<20, 0, 9<<20+3, 40<<20)
	p := plan(t, sparse, Options{})
	if p.Format != imageformat.QCOW2 || !p.RandomAccess || !p.Converted || p.Unpacked || p.VirtualSize != 64<<20 ||
		p.DataBytes != 3*ClusterSize || !strings.HasPrefix(p.Steps, "raw → qcow2 (192 KiB of data in a 64 MiB disk)") || p.Conversion == "" {
		t.Fatalf("plan %+v", p)
	}
	sameDisk(t, sparse, p.Format, produce(t, p))

	asIs := plan(t, sparse, Options{AsIs: true})
	if asIs.Format != imageformat.RAW || asIs.Converted || asIs.Conversion != "" || asIs.Size != 64<<20 {
		t.Fatalf("as-is plan %+v", asIs)
	}
	if got, _ := os.ReadFile(produce(t, asIs)); !bytes.Equal(got, mustRead(t, sparse)) {
		t.Fatal("--as-is changed the bytes")
	}

	// All data: the samples show it, and no full read is made.
	full := filepath.Join(t.TempDir(), "full.raw")
	os.WriteFile(full, bytes.Repeat([]byte{1, 2, 3, 4}, 8<<20), 0o600)
	if p := plan(t, full, Options{}); p.Format != imageformat.RAW || p.Converted || !strings.Contains(p.Steps, "mostly data") {
		t.Fatalf("full disk plan %+v", p)
	}
	// 15 % written zeros (no holes): scanned, but qcow2 saves under 20 %.
	b := bytes.Repeat([]byte{1, 2, 3, 4}, 8<<20)
	clear(b[:len(b)*15/100])
	os.WriteFile(full, b, 0o600)
	if p := plan(t, full, Options{}); p.Format != imageformat.RAW || p.Converted || !strings.Contains(p.Steps, "under 20 %") {
		t.Fatalf("85 %% data plan %+v", p)
	}
	// 30 % written zeros: converted.
	clear(b[:len(b)*30/100])
	os.WriteFile(full, b, 0o600)
	if p := plan(t, full, Options{}); p.Format != imageformat.QCOW2 {
		t.Fatalf("70 %% data plan %+v", p)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPlanCompressedRaw(t *testing.T) {
	need(t, "qemu-img")
	for _, c := range []struct {
		tool string
		args []string
		goXZ bool
	}{{"xz", []string{"-T1", "-1"}, false}, {"xz", []string{"-T1", "-1"}, true}, {"gzip", []string{"-1"}, false},
		{"zstd", []string{"-q", "-1"}, false}, {"bzip2", []string{"-1"}, false}} {
		t.Run(c.tool+map[bool]string{true: " (Go decoder)"}[c.goXZ], func(t *testing.T) {
			defer goXZ(c.goXZ)()
			raw := sparseRaw(t, 24<<20+512, 0, 5<<20, 24<<20)
			file := packed(t, raw, c.tool, c.args...)
			var calls int
			p := plan(t, file, Options{Progress: func(done, total int64) { calls++ }})
			if p.Format != imageformat.QCOW2 || p.RandomAccess || !p.Unpacked || p.VirtualSize != 24<<20+512 ||
				!strings.HasPrefix(p.Steps, c.tool+" → raw → qcow2") || calls == 0 {
				t.Fatalf("plan %+v (progress calls %d)", p, calls)
			}
			sameDisk(t, raw, p.Format, produce(t, p))
			asIs := plan(t, file, Options{AsIs: true})
			if asIs.Format != imageformat.RAW || !asIs.Converted || asIs.Size != 24<<20+512 {
				t.Fatalf("as-is plan %+v", asIs)
			}
			if !bytes.Equal(mustRead(t, produce(t, asIs)), mustRead(t, raw)) {
				t.Fatal("the unpacked RAW differs")
			}
		})
	}
}

func TestPlanCompressedQcow2(t *testing.T) {
	need(t, "qemu-img")
	raw := sparseRaw(t, 32<<20, 0, 17<<20)
	q := filepath.Join(t.TempDir(), "disk.qcow2")
	run(t, "qemu-img", "convert", "-O", "qcow2", raw, q)
	p := plan(t, packed(t, q, "gzip"), Options{})
	if p.Format != imageformat.QCOW2 || p.RandomAccess || p.VirtualSize != 32<<20 || !strings.HasPrefix(p.Steps, "gzip → qcow2 (") {
		t.Fatalf("plan %+v", p)
	}
	sent := produce(t, p)
	if !bytes.Equal(mustRead(t, sent), mustRead(t, q)) {
		t.Fatal("the unpacked qcow2 differs from the original")
	}
	sameDisk(t, raw, p.Format, sent)
}

// goXZ makes xz data go through the Go decoder (or not) until the
// returned func runs.
func goXZ(on bool) func() {
	was := ExternalXZ
	ExternalXZ = !on
	return func() { ExternalXZ = was }
}

func TestPlanCorruptXZ(t *testing.T) {
	for _, gx := range []bool{false, true} {
		t.Run(map[bool]string{false: "xz program", true: "Go decoder"}[gx], func(t *testing.T) {
			defer goXZ(gx)()
			testCorruptXZ(t)
		})
	}
}

func testCorruptXZ(t *testing.T) {
	raw := sparseRaw(t, 8<<20, 0, 4<<20)
	file := packed(t, raw, "xz", "-T1", "-0")
	b := mustRead(t, file)
	b[len(b)/2] ^= 0x55
	os.WriteFile(file, b, 0o600)
	_, err := NewPlan(context.Background(), file, Options{})
	var pe *PackedError
	if !errors.As(err, &pe) || pe.Packing != XZ || !strings.Contains(err.Error(), "xz -dk disk.raw.xz") {
		t.Fatalf("want a PackedError naming xz, got %v", err)
	}
	t.Log(err)
	// Cut short: the same.
	os.WriteFile(file, b[:len(b)/2], 0o600)
	if _, err := NewPlan(context.Background(), file, Options{}); !errors.As(err, &pe) {
		t.Fatalf("truncated xz: %v", err)
	}
}

func TestStreamNoticesAChangedFile(t *testing.T) {
	raw := sparseRaw(t, 8<<20, 0, 4<<20)
	file := packed(t, raw, "gzip")
	p := plan(t, file, Options{})
	// Data appears where the plan saw zeros; the file is packed again.
	other := sparseRaw(t, 8<<20, 0, 4<<20, 6<<20)
	os.Rename(packed(t, other, "gzip"), file)
	src, err := p.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := io.Copy(io.Discard, src.Stream); !errors.Is(err, ErrSourceChanged) {
		t.Fatalf("want ErrSourceChanged, got %v", err)
	}
	// Longer than planned.
	longer := sparseRaw(t, 8<<20+ClusterSize, 0, 4<<20)
	os.Rename(packed(t, longer, "gzip"), file)
	src2, _ := p.Open()
	defer src2.Close()
	if _, err := io.Copy(io.Discard, src2.Stream); !errors.Is(err, ErrSourceChanged) {
		t.Fatalf("longer: want ErrSourceChanged, got %v", err)
	}
}

func TestPlanRefusesWhatIsNotAnImage(t *testing.T) {
	dir := t.TempDir()
	iso := filepath.Join(dir, "x.iso")
	b := make([]byte, 1<<20)
	copy(b[0x8001:], "CD001")
	os.WriteFile(iso, b, 0o600)
	var ne *NotImageError
	if _, err := NewPlan(context.Background(), iso, Options{}); !errors.As(err, &ne) || ne.Result.Format != "ISO" {
		t.Fatalf("ISO: %v", err)
	}
	if _, err := NewPlan(context.Background(), packed(t, iso, "gzip"), Options{}); !errors.As(err, &ne) {
		t.Fatalf("ISO in gzip: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	if _, err := NewPlan(context.Background(), empty, Options{}); err == nil {
		t.Fatal("an empty file was planned")
	}
	if _, err := NewPlan(context.Background(), dir, Options{}); err == nil {
		t.Fatal("a directory was planned")
	}
}

func TestXZDictionaryBound(t *testing.T) {
	raw := sparseRaw(t, 1<<20, 0)
	file := packed(t, raw, "xz", "-T1", "--lzma2=dict=96MiB")
	_, err := NewPlan(context.Background(), file, Options{})
	if err == nil || !strings.Contains(err.Error(), "96 MiB dictionary") {
		t.Fatalf("a 96 MiB dictionary: %v", err)
	}
	ok := packed(t, raw, "xz", "-T1", "--lzma2=dict=64MiB")
	if _, err := NewPlan(context.Background(), ok, Options{}); err != nil {
		t.Fatalf("a 64 MiB dictionary: %v", err)
	}
}
