package convert

import (
	"context"
	"errors"
	"io"

	"github.com/uimport/uimport/imageformat"
)

// probe is what one pass over an image's bytes found.
type probe struct {
	head []byte  // the first imageformat.HeadSize bytes
	tail []byte  // the last imageformat.TailSize bytes
	size int64   // every byte
	data []int64 // non-zero clusters, when scanned
	// scanned: data is the complete list (the scan was asked for and
	// not given up on a disk too large or too full).
	scanned bool
}

// probeStream reads r to its end once: its size, first and last bytes, and
// (if scan) its non-zero clusters, so a compressed RAW can be laid out as
// qcow2 before the second pass produces it. Memory: one read buffer and
// the cluster list (8 bytes per 64 KiB of data).
func probeStream(ctx context.Context, r io.Reader, scan bool) (probe, error) {
	var p probe
	buf := make([]byte, 16*ClusterSize)
	var tail [imageformat.TailSize]byte
	for {
		if err := ctx.Err(); err != nil {
			return probe{}, err
		}
		n, err := fill(r, buf)
		if n > 0 {
			chunk := buf[:n]
			if len(p.head) < imageformat.HeadSize {
				p.head = append(p.head, chunk[:min(n, imageformat.HeadSize-len(p.head))]...)
			}
			if scan {
				if p.size+int64(n) > MaxVirtualSize {
					scan, p.data = false, nil // too large to convert; sent as it is
				} else {
					p.data = appendNonZero(p.data, chunk, p.size)
					if len(p.data) > maxDataClusters {
						scan, p.data = false, nil
					}
				}
			}
			if n >= len(tail) {
				copy(tail[:], chunk[n-len(tail):])
			} else {
				copy(tail[:], tail[n:])
				copy(tail[len(tail)-n:], chunk)
			}
			p.size += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return probe{}, err
		}
	}
	p.tail = append([]byte(nil), tail[len(tail)-int(min(p.size, int64(len(tail)))):]...)
	p.scanned = scan
	if !scan {
		p.data = nil
	}
	return p, nil
}

// probeAt reads the first and last bytes of a random-access image.
func probeAt(r io.ReaderAt, size int64) (probe, error) {
	p := probe{size: size, head: make([]byte, min(size, imageformat.HeadSize))}
	if _, err := r.ReadAt(p.head, 0); err != nil && !errors.Is(err, io.EOF) {
		return probe{}, err
	}
	p.tail = make([]byte, min(size, imageformat.TailSize))
	if _, err := r.ReadAt(p.tail, size-int64(len(p.tail))); err != nil && !errors.Is(err, io.EOF) {
		return probe{}, err
	}
	return p, nil
}

// fill reads until buf is full or r ends; unlike io.ReadFull it passes a
// reader's own io.ErrUnexpectedEOF (a truncated stream) on as an error,
// and reports the end as io.EOF only.
func fill(r io.Reader, buf []byte) (int, error) {
	n, empty := 0, 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
		if empty = empty + 1; k > 0 {
			empty = 0
		} else if empty > 100 {
			return n, io.ErrNoProgress
		}
	}
	return n, nil
}
