package upload

import (
	"errors"
	"fmt"
	"io"

	"github.com/uimport/uimport/ufile"
)

// Source is bytes made from Options.File (unpacked, converted) that are
// sent instead of the file's own. They must be the same bytes on every
// Open while the file is unchanged: a resume makes them again and checks
// each part kept on UFile against them, and the ETag is built from them.
type Source struct {
	// Size is the exact number of bytes Open gives.
	Size int64
	// Conversion names how the bytes are made from the file (not ""):
	// with the file's path, size and mtime it keys the resume state, so
	// other options start over rather than mixing parts.
	Conversion string
	// Open starts the bytes from the first.
	Open func() (Opened, error)
	// DiskSize and DataBytes, when known, are passed on in Progress: the
	// guest disk's size and the guest data in it.
	DiskSize, DataBytes int64
}

// Opened is one reading of a Source: At (random access, used by several
// workers at once) or Stream (read once, in order, by one reader that
// hands parts to the workers).
type Opened struct {
	At     io.ReaderAt
	Stream io.Reader
	Close  func() error
}

// bytesReader is what the workers read parts from for one run.
type bytesReader struct {
	at     io.ReaderAt // random access, or nil
	stream io.Reader   // in order, when at is nil
	close  func() error
}

// openBytes opens what this upload sends: the file itself, or a fresh
// reading of the Source.
func (u *uploader) openBytes() (*bytesReader, error) {
	if u.o.Source == nil {
		return &bytesReader{at: u.f, close: func() error { return nil }}, nil
	}
	op, err := u.o.Source.Open()
	if err != nil {
		return nil, sourceError(err)
	}
	if (op.At == nil) == (op.Stream == nil) {
		if op.Close != nil {
			op.Close()
		}
		return nil, errors.New("internal error: a Source must give either At or Stream")
	}
	if op.Close == nil {
		op.Close = func() error { return nil }
	}
	return &bytesReader{at: op.At, stream: op.Stream, close: op.Close}, nil
}

// sourceError explains a failure to make the bytes (a corrupt archive, a
// file that changed): no retry helps, and the upload state is kept.
func sourceError(err error) error {
	var ue *Error
	if errors.As(err, &ue) {
		return err
	}
	return &Error{Msg: "making the image's bytes failed",
		HintText: "check the file; if it changed during the upload, run the command again once nothing writes to it", Err: err}
}

// readAll fills buf from the stream; a stream that ends early is an error.
func readPart(r io.Reader, buf []byte, p int) error {
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("the image's bytes ended before part %d", p)
		}
		return sourceError(err)
	}
	return nil
}

// streamEnds checks a stream gives nothing after its Size bytes, which
// also lets it check its own end (a decompressor's checksum).
func streamEnds(r io.Reader) error {
	var one [1]byte
	for range 100 {
		n, err := r.Read(one[:])
		if n > 0 {
			return sourceError(errors.New("the image's bytes are longer than planned"))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return sourceError(err)
		}
	}
	return sourceError(io.ErrNoProgress)
}

// produced is a part the stream reader made, handed to a worker with the
// buffer it must give back.
type produced struct {
	j    int
	data []byte
}

// produce reads the stream in order, one part at a time, into buffers
// from free (workers give them back), so memory stays workers × BlkSize.
func (r *run) produce(stop <-chan struct{}, out chan<- produced, free chan []byte) error {
	defer close(out)
	for j, p := range r.pl.jobs {
		var buf []byte
		select {
		case buf = <-free:
		case <-stop:
			return nil
		}
		if buf == nil {
			buf = r.u.o.alloc(int(min(r.g.blk, r.g.size)))
		}
		_, n := r.g.part(p)
		if err := readPart(r.src.stream, buf[:n], p); err != nil {
			return err
		}
		r.m.produced.Add(n)
		select {
		case out <- produced{j: j, data: buf[:n]}:
		case <-stop:
			return nil
		}
	}
	return streamEnds(r.src.stream)
}

func (u *uploader) conversion() string {
	if u.o.Source == nil {
		return ""
	}
	return u.o.Source.Conversion
}

// etagNow computes the UFile ETag of the bytes as they are made now.
func (u *uploader) etagNow() (string, error) {
	src, err := u.openBytes()
	if err != nil {
		return "", err
	}
	defer src.close()
	r := src.stream
	if src.at != nil {
		r = io.NewSectionReader(src.at, 0, u.size)
	} else {
		r = io.LimitReader(r, u.size)
	}
	return ufile.ETag(r)
}

// readSmallSource reads a Source of at most one part into buf.
func (u *uploader) readSmallSource(buf []byte) error {
	src, err := u.openBytes()
	if err != nil {
		return err
	}
	defer src.close()
	if src.at != nil {
		if k, err := src.at.ReadAt(buf, 0); k < len(buf) {
			if err == nil || errors.Is(err, io.EOF) {
				err = errors.New("the image's bytes are shorter than planned")
			}
			return sourceError(err)
		}
		return nil
	}
	if err := readPart(src.stream, buf, 0); err != nil {
		return err
	}
	return streamEnds(src.stream)
}
