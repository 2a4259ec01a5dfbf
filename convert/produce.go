package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ErrSourceChanged: the source's bytes differ from the scan the layout was
// made from, so the qcow2 would not be the disk. Nothing built from it may be
// called verified.
var ErrSourceChanged = errors.New("the image changed while it was being converted; run the command again")

var zeroCluster = make([]byte, ClusterSize)

// ReaderAt returns the qcow2 as random-access bytes, reading data clusters
// from src (the RAW disk) as they are asked for. It is safe for concurrent
// use when src is.
func (l *Layout) ReaderAt(src io.ReaderAt) io.ReaderAt { return &qcowReaderAt{l: l, src: src} }

type qcowReaderAt struct {
	l   *Layout
	src io.ReaderAt
}

func (q *qcowReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("convert: negative offset")
	}
	size := q.l.Size()
	n := 0
	var buf []byte // only for clusters p does not hold whole
	for n < len(p) {
		pos := off + int64(n)
		if pos >= size {
			return n, io.EOF
		}
		c, in := pos/ClusterSize, pos%ClusterSize
		if in == 0 && len(p)-n >= ClusterSize {
			if err := q.l.cluster(c, p[n:n+ClusterSize], q.src); err != nil {
				return n, err
			}
			n += ClusterSize
			continue
		}
		if buf == nil {
			buf = make([]byte, ClusterSize)
		}
		if err := q.l.cluster(c, buf, q.src); err != nil {
			return n, err
		}
		n += copy(p[n:], buf[in:])
	}
	return n, nil
}

// cluster fills buf with output cluster c, reading data from src.
func (l *Layout) cluster(c int64, buf []byte, src io.ReaderAt) error {
	if c < l.dataAt {
		l.meta(c, buf)
		return nil
	}
	g := l.data[c-l.dataAt] * ClusterSize
	want := min(int64(ClusterSize), l.VirtualSize-g)
	got, err := src.ReadAt(buf[:want], g)
	if int64(got) < want {
		if err == nil || errors.Is(err, io.EOF) {
			return fmt.Errorf("convert: the source ended at %d bytes, before the disk's %d: %w", g+int64(got), l.VirtualSize, ErrSourceChanged)
		}
		return err
	}
	clear(buf[want:])
	return nil
}

// Stream returns the qcow2 as a sequential stream, reading src (the RAW
// disk, from its first byte) once, in order. A cluster the scan found zero
// that is no longer zero ends the stream with ErrSourceChanged.
func (l *Layout) Stream(src io.Reader) io.Reader {
	return &qcowStream{l: l, src: src, buf: make([]byte, ClusterSize)}
}

type qcowStream struct {
	l       *Layout
	src     io.Reader
	buf     []byte
	pending []byte
	next    int64 // next output cluster
	guest   int64 // next guest cluster to read from src
	err     error
}

func (s *qcowStream) Read(p []byte) (int, error) {
	for len(s.pending) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		if s.next >= s.l.total {
			s.err = io.EOF
			return 0, s.err
		}
		if err := s.fill(); err != nil {
			s.err = err
			return 0, err
		}
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

// fill makes the next output cluster pending.
func (s *qcowStream) fill() error {
	l := s.l
	if s.next < l.dataAt {
		l.meta(s.next, s.buf)
		s.pending, s.next = s.buf, s.next+1
		return nil
	}
	want := l.data[s.next-l.dataAt]
	for ; s.guest <= want; s.guest++ {
		n := min(int64(ClusterSize), l.VirtualSize-s.guest*ClusterSize)
		if _, err := io.ReadFull(s.src, s.buf[:n]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("convert: the source ended before the disk's %d bytes: %w", l.VirtualSize, ErrSourceChanged)
			}
			return err
		}
		clear(s.buf[n:])
		if s.guest < want && !bytes.Equal(s.buf, zeroCluster) {
			return ErrSourceChanged
		}
	}
	s.pending, s.next = s.buf, s.next+1
	if s.next == l.total {
		return s.drain()
	}
	return nil
}

// drain reads the source's tail after the last data cluster, which the
// scan found zero, so a change there is caught too.
func (s *qcowStream) drain() error {
	rest := s.l.VirtualSize - s.guest*ClusterSize
	buf := make([]byte, ClusterSize)
	for rest > 0 {
		n := min(rest, ClusterSize)
		if _, err := io.ReadFull(s.src, buf[:n]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return ErrSourceChanged
			}
			return err
		}
		if !bytes.Equal(buf[:n], zeroCluster[:n]) {
			return ErrSourceChanged
		}
		rest -= n
	}
	return nil
}
