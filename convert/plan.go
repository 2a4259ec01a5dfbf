package convert

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/uimport/uimport/internal/regularfile"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/uimport/uimport/imageformat"
)

// DefaultMinSaving: a RAW disk becomes qcow2 when that sends at least this
// share fewer bytes; below it the RAW goes as it is.
const DefaultMinSaving = 0.20

// conversionVersion names this package's output rules. It is part of
// Plan.Conversion, so a resume never mixes parts made by other rules.
const conversionVersion = "convert/1"

// Options change what Plan chooses.
type Options struct {
	// AsIs sends the image's bytes without changing their format: a plain
	// file goes unchanged; a compressed file or an OVA is still unpacked
	// (the import cannot read either) but a RAW inside stays RAW.
	AsIs bool
	// MinSaving overrides DefaultMinSaving (0 means the default).
	MinSaving float64
	// TempDir is where qemu-img writes a conversion ("" means os.TempDir()).
	TempDir string
	// QemuImg is the qemu-img program ("" means "qemu-img" on PATH).
	QemuImg string
	// Progress, if set, is told how many bytes of the file the planning
	// pass has read, of total (a compressed file is read through once).
	Progress func(done, total int64)
}

// Plan is what will be uploaded for one local file, decided before a byte
// is sent: its format, exact size, and how to produce it.
type Plan struct {
	Path string // the file, as given
	// Format is what the import must declare: the format of the bytes
	// sent (qcow2 for a converted RAW).
	Format string
	// Size is the number of bytes sent (0 until RunQemu when Qemu is set).
	Size int64
	// VirtualSize is the guest disk's size; DataBytes the guest data in
	// it when known (0 when not: an image sent as it is).
	VirtualSize int64
	DataBytes   int64
	// Steps says in one line what happens, e.g.
	// "xz → raw → qcow2 (2.1 GiB of data in a 20 GiB disk)".
	Steps string
	// RandomAccess: Open gives an io.ReaderAt (parts can be read in any
	// order, in parallel); else a stream read from the start.
	RandomAccess bool
	// Converted: the bytes sent are not the file's (unpacked or converted).
	Converted bool
	// Unpacked: the image is inside a compressed file or an OVA, so tools
	// that read the file itself (an inspection) see the packing.
	Unpacked bool
	// Conversion identifies how the bytes are made from the file ("" when
	// the file is sent as it is): with the file's identity it keys the
	// upload's resume state, so other options start over.
	Conversion string
	// Inner is what the image inside is, as imageformat sees it.
	Inner imageformat.Result
	// Qemu, when set, is a qemu-img conversion to run (RunQemu) before
	// Open: ask the user first, it needs Qemu.SpaceNeeded bytes of space.
	Qemu *QemuStep

	chain    []string // "xz", "ova", "raw", ...
	packing  Packing
	member   *ovaMember
	layout   *Layout
	inner    int64 // size of the image's own bytes (inside any packing)
	fileSize int64
	temp     string // qemu-img's output, removed by Close
}

// NewPlan decides how to upload the file at path. It reads the file once
// when it is compressed (to size it and, for a RAW inside, to find its
// data), and only the data parts of a local RAW.
func NewPlan(ctx context.Context, path string, o Options) (*Plan, error) {
	if o.MinSaving <= 0 {
		o.MinSaving = DefaultMinSaving
	}
	f, err := regularfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	p := &Plan{Path: path, fileSize: fi.Size()}
	head := make([]byte, min(fi.Size(), imageformat.HeadSize))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	p.packing = packingOf(head)
	var pr probe
	if p.packing == "" && !isTar(head) {
		pr, err = probeAt(f, fi.Size())
		p.inner = fi.Size()
	} else {
		pr, err = p.probePacked(ctx, f, o)
	}
	if err != nil {
		return nil, err
	}
	if err := p.decide(ctx, f, pr, o); err != nil {
		return nil, err
	}
	return p, nil
}

func isTar(head []byte) bool { return len(head) >= 262 && string(head[257:262]) == "ustar" }

// probePacked finds the image inside a compressed file or an OVA. An
// uncompressed OVA's disk is a contiguous range of the file: it is probed
// (and later read) in place; anything compressed is read through once.
func (p *Plan) probePacked(ctx context.Context, f *os.File, o Options) (probe, error) {
	if p.packing != "" {
		p.chain = append(p.chain, string(p.packing))
	}
	if p.packing == "" {
		m, err := ovaIn(io.NewSectionReader(f, 0, p.fileSize))
		if err != nil {
			return probe{}, err
		}
		p.member = &m
		p.chain = append(p.chain, "ova")
		if m.contiguous && m.disk.Compression != "gzip" {
			p.inner = m.size
			return probeAt(io.NewSectionReader(f, m.offset, m.size), m.size)
		}
	}
	r, done, err := p.openChain(f, o.Progress)
	if err != nil {
		return probe{}, err
	}
	defer done()
	pr, err := probeStream(ctx, r, !o.AsIs)
	if err != nil {
		return probe{}, p.readError(err)
	}
	p.inner = pr.size
	return pr, nil
}

// ovaIn reads an uncompressed OVA's descriptor and locates its disk.
func ovaIn(r io.Reader) (ovaMember, error) {
	pos := &positionReader{r: r}
	return findOVADisk(newTarReader(pos), pos)
}

// decide chooses what is sent for the image the probe found.
func (p *Plan) decide(ctx context.Context, f *os.File, pr probe, o Options) error {
	p.Inner = imageformat.Sniff(pr.head, pr.tail, pr.size)
	name := filepath.Base(p.Path)
	if hasPrefix(pr.head, "QED\x00") {
		p.Inner = imageformat.Result{Format: "QED"}
	}
	if p.Inner.Format == "OVA" || p.Inner.Format == "tar" {
		if len(p.chain) > 0 && p.chain[len(p.chain)-1] == "ova" {
			return errors.New("the OVA's disk is itself an archive; unpack it by hand and upload the disk inside")
		}
		if p.packing != "" && p.member == nil {
			return p.packedOVA(ctx, o)
		}
	}
	p.chain = append(p.chain, strings.ToLower(p.Inner.Format))
	p.Unpacked = p.packing != "" || p.member != nil
	if needsQemu(p.Inner, pr.head) {
		if len(p.chain) > 1 {
			return fmt.Errorf("%s holds a %s image, which only qemu-img converts, and it needs the file unpacked: %s, then upload the result",
				name, p.Inner.Format, unpackHint(p.packing, name))
		}
		return p.planQemu(ctx, o)
	}
	if !p.Inner.Accepted {
		if p.Inner.Reason == "" {
			return fmt.Errorf("%s holds nothing uimport can upload as a disk image", name)
		}
		return &NotImageError{Result: p.Inner}
	}
	p.VirtualSize, p.Format, p.Size = p.Inner.VirtualSize, p.Inner.Format, p.inner
	p.RandomAccess = p.packing == "" && (p.member == nil || (p.member.contiguous && p.member.disk.Compression != "gzip"))
	p.Converted = len(p.chain) > 1
	if p.Inner.Format == imageformat.RAW {
		return p.planRaw(ctx, f, pr, o)
	}
	p.Steps = p.chainText() + ", sent as it is"
	if p.Converted {
		p.Steps = fmt.Sprintf("%s (%s unpacked)", p.chainText(), imageformat.HumanSize(p.Size))
	}
	p.setConversion()
	return nil
}

// packedOVA: a compressed OVA (appliance.ova.gz). Its disk is found in a
// second read through, now knowing it is a tar.
func (p *Plan) packedOVA(ctx context.Context, o Options) error {
	p.member = &ovaMember{} // openChain reads the tar from here on
	f, err := os.Open(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	p.chain = append(p.chain, "ova")
	r, done, err := p.openChain(f, o.Progress)
	if err != nil {
		return err
	}
	pr, err := probeStream(ctx, r, !o.AsIs)
	done()
	if err != nil {
		return p.readError(err)
	}
	p.inner = pr.size
	return p.decide(ctx, nil, pr, o)
}

func needsQemu(r imageformat.Result, head []byte) bool {
	switch r.Format {
	case "VHDX", "VDI", "QED":
		return true
	case imageformat.QCOW2:
		// A backing file or an external data file: the object alone is
		// not the disk, and qemu-img flattens it where the files are.
		return len(head) >= 80 && (binary.BigEndian.Uint64(head[8:]) != 0 ||
			(binary.BigEndian.Uint32(head[4:]) >= 3 && binary.BigEndian.Uint64(head[72:])&4 != 0))
	}
	return false
}

// planRaw turns a RAW into qcow2 when that saves enough.
func (p *Plan) planRaw(ctx context.Context, f *os.File, pr probe, o Options) error {
	keep := func(why string) error {
		p.Steps = p.chainText() + ", sent as it is" + why
		if p.Converted {
			p.Steps = fmt.Sprintf("%s (%s unpacked%s)", p.chainText(), imageformat.HumanSize(p.Size), why)
		}
		p.setConversion()
		return nil
	}
	if o.AsIs {
		return keep("")
	}
	data := pr.data
	if p.RandomAccess {
		var err error
		if p.member == nil && !worthScanning(f, p.inner, o.MinSaving) {
			return keep(" (mostly data: qcow2 would save little)")
		}
		if p.member == nil {
			data, err = ScanFile(ctx, f, p.inner, progressOf(o.Progress, p.inner))
		} else {
			data, err = Scan(ctx, io.NewSectionReader(f, p.member.offset, p.member.size), p.inner, progressOf(o.Progress, p.inner))
		}
		if errors.Is(err, errTooMuchData) {
			return keep(" (too much data to convert here)")
		}
		if err != nil {
			return err
		}
	} else if !pr.scanned {
		return keep(" (too much data to convert here)")
	}
	p.DataBytes = int64(len(data)) * ClusterSize
	l, err := NewLayout(p.inner, data)
	if err != nil {
		return keep("")
	}
	if float64(l.Size()) > float64(p.inner)*(1-o.MinSaving) {
		return keep(fmt.Sprintf(" (qcow2 would save under %.0f %%)", o.MinSaving*100))
	}
	p.layout, p.Format, p.Size, p.Converted = l, imageformat.QCOW2, l.Size(), true
	p.DataBytes = l.DataBytes()
	p.chain = append(p.chain, "qcow2")
	p.Steps = fmt.Sprintf("%s (%s of data in a %s disk)", p.chainText(), imageformat.HumanSize(p.DataBytes), imageformat.HumanSize(p.VirtualSize))
	p.setConversion()
	return nil
}

func (p *Plan) chainText() string { return strings.Join(p.chain, " → ") }

func (p *Plan) setConversion() {
	if !p.Converted {
		p.Conversion = ""
		return
	}
	p.Conversion = conversionVersion + ":" + strings.Join(p.chain, ">")
}

// progressOf adapts Options.Progress for a pass over total bytes.
func progressOf(fn func(done, total int64), total int64) func(int64) {
	if fn == nil {
		return nil
	}
	return func(done int64) { fn(done, total) }
}

// readError names the file in a decompression failure.
func (p *Plan) readError(err error) error {
	var pe *PackedError
	if errors.As(err, &pe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if p.packing != "" {
		return &PackedError{Packing: p.packing, Name: filepath.Base(p.Path), Err: err}
	}
	return fmt.Errorf("reading %s: %w", filepath.Base(p.Path), err)
}

func unpackHint(pk Packing, name string) string {
	if pk == "" {
		return "unpack it (tar xf " + name + ")"
	}
	return "unpack it (" + unpackCommand(pk, name) + ")"
}

// NotImageError: the image inside is not something the import takes.
type NotImageError struct{ Result imageformat.Result }

func (e *NotImageError) Error() string {
	return e.Result.Reason + "; " + e.Result.Fix
}
