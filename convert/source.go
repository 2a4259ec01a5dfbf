package convert

import (
	"archive/tar"
	"errors"
	"fmt"
	"github.com/uimport/uimport/internal/regularfile"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
)

// Source is the bytes a Plan sends, from the first: either random access
// (At, safe for concurrent ReadAt) or a stream read once in order. Every
// Open of one Plan gives the same bytes while the file is unchanged; a
// file that changed makes a stream fail with ErrSourceChanged or a
// decompression error, never give other bytes silently.
type Source struct {
	At     io.ReaderAt // nil for a stream
	Stream io.Reader   // nil when At is set
	Size   int64
	close  func()
}

// Close releases the file and any decompressor.
func (s *Source) Close() error {
	if s.close != nil {
		s.close()
		s.close = nil
	}
	return nil
}

// Open starts the bytes to send from the beginning.
func (p *Plan) Open() (*Source, error) {
	if p.Qemu != nil && p.temp == "" {
		return nil, errors.New("convert: the qemu-img conversion has not run (RunQemu)")
	}
	path := p.Path
	if p.temp != "" {
		path = p.temp
	}
	f, err := regularfile.Open(path)
	if err != nil {
		return nil, err
	}
	src := &Source{Size: p.Size, close: func() { f.Close() }}
	if p.RandomAccess {
		var at io.ReaderAt = f
		if p.member != nil {
			at = io.NewSectionReader(f, p.member.offset, p.member.size)
		}
		if p.layout != nil {
			at = p.layout.ReaderAt(at)
		}
		src.At = io.NewSectionReader(at, 0, p.Size)
		return src, nil
	}
	inner, done, err := p.openChain(f, nil)
	if err != nil {
		f.Close()
		return nil, err
	}
	src.close = func() { done(); f.Close() }
	exact := &exactReader{r: inner, left: p.inner}
	if p.layout != nil {
		src.Stream = &thenCheck{r: p.layout.Stream(exact), check: exact.atEnd}
	} else {
		src.Stream = &thenCheck{r: exact, check: exact.atEnd}
	}
	return src, nil
}

// openChain opens the image inside the file: through its decompressor,
// then into the OVA's disk member. progress, if set, counts file bytes.
func (p *Plan) openChain(f *os.File, progress func(done, total int64)) (io.Reader, func(), error) {
	var r io.Reader = f
	if progress != nil {
		r = &countingReader{r: f, total: p.fileSize, fn: progress}
	}
	var closers []func()
	done := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	name := f.Name()
	if p.packing != "" {
		d, err := openPacking(p.packing, r, baseName(name))
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, d.close)
		r = &packedReader{r: d, p: p.packing, name: baseName(name)}
	}
	if p.member != nil {
		pos := &positionReader{r: r}
		m, err := findOVADisk(newTarReader(pos), pos)
		if err != nil {
			done()
			return nil, nil, err
		}
		if p.member.name == "" {
			*p.member = m // a compressed OVA, found on its first read
		} else if m.name != p.member.name || m.size != p.member.size {
			done()
			return nil, nil, fmt.Errorf("the OVA's disk changed since it was examined: %w", ErrSourceChanged)
		}
		r = io.LimitReader(pos, m.size)
		if m.disk.Compression == "gzip" {
			zr, err := gzip.NewReader(r)
			if err != nil {
				done()
				return nil, nil, &PackedError{Packing: Gzip, Name: printable(m.name), Err: err}
			}
			closers = append(closers, func() { zr.Close() })
			r = &packedReader{r: zr, p: Gzip, name: printable(m.name)}
		}
	}
	return r, done, nil
}

func newTarReader(r io.Reader) *tar.Reader { return tar.NewReader(r) }

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if os.IsPathSeparator(p[i]) {
			return p[i+1:]
		}
	}
	return p
}

// packedReader names the packing in a decompression error, so a corrupt
// .xz says so rather than "unexpected EOF".
type packedReader struct {
	r    io.Reader
	p    Packing
	name string
}

func (r *packedReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	if err != nil && err != io.EOF {
		var pe *PackedError
		if !errors.As(err, &pe) {
			err = &PackedError{Packing: r.p, Name: r.name, Err: err}
		}
	}
	return n, err
}

// exactReader gives exactly left bytes of r; atEnd then checks r ends
// there (reading a decompressor to its end also checks its checksum).
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(b []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > e.left {
		b = b[:e.left]
	}
	n, err := e.r.Read(b)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		return n, fmt.Errorf("the image ended %d bytes early: %w", e.left, ErrSourceChanged)
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

func (e *exactReader) atEnd() error {
	if e.left > 0 {
		return fmt.Errorf("the image ended %d bytes early: %w", e.left, ErrSourceChanged)
	}
	var one [1]byte
	for range 16 { // readers may return (0, nil) a few times
		n, err := e.r.Read(one[:])
		if n > 0 {
			return fmt.Errorf("the image is longer than when it was examined: %w", ErrSourceChanged)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// thenCheck runs check when r ends, and reports its error instead of EOF.
type thenCheck struct {
	r     io.Reader
	check func() error
	err   error
}

func (t *thenCheck) Read(b []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.r.Read(b)
	if err == io.EOF {
		if cerr := t.check(); cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		t.err = err
	}
	return n, err
}

// countingReader reports bytes read, every 4 MiB and at the end.
type countingReader struct {
	r        io.Reader
	n, total int64
	last     int64
	fn       func(done, total int64)
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	if c.n-c.last >= 4<<20 || err != nil {
		c.last = c.n
		c.fn(c.n, c.total)
	}
	return n, err
}
