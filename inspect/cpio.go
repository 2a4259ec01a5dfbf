package inspect

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// scanCpioStream scans every archive in a decompressed stream (dracut may
// concatenate several).
func scanCpioStream(ctx context.Context, src *streamSource, res *initramfsScan) (bool, error) {
	for {
		// Archives are padded with zeros to a block boundary.
		b, err := src.r.Peek(6)
		for err == nil && len(b) > 0 && b[0] == 0 {
			if _, err = src.skip(1); err == nil {
				b, err = src.r.Peek(6)
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return false, nil
			}
			return false, err
		}
		if string(b) != "070701" && string(b) != "070702" {
			return false, fmt.Errorf("initramfs: not a cpio archive after %d bytes", src.n)
		}
		done, err := scanCpio(ctx, src, res)
		if err != nil || done {
			return done, err
		}
	}
}

// cpioSource is an archive read either in place (uncompressed, skipping
// file data without reading it) or as a stream.
type cpioSource interface {
	read(n int) ([]byte, error)
	skip(n int64) (int64, error)
}

// scanCpio reads one newc archive up to its TRAILER!!!; done when the
// module was found.
func scanCpio(ctx context.Context, src cpioSource, res *initramfsScan) (bool, error) {
	for {
		if res.Entries >= maxCpioEntries {
			return false, errCpioEntries
		}
		res.Entries++
		if res.Entries%256 == 0 && ctx.Err() != nil {
			return false, ctx.Err()
		}
		h, err := src.read(110)
		if err != nil {
			return false, fmt.Errorf("initramfs: truncated cpio header: %w", err)
		}
		if string(h[:6]) != "070701" && string(h[:6]) != "070702" {
			return false, errors.New("initramfs: bad cpio header")
		}
		field := func(i int) (int64, error) {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			return int64(v), err
		}
		fileSize, err1 := field(6)
		nameSize, err2 := field(11)
		if err1 != nil || err2 != nil || nameSize < 1 || nameSize > maxCpioName {
			return false, errors.New("initramfs: bad cpio header")
		}
		nameBuf, err := src.read(int(nameSize))
		if err != nil {
			return false, fmt.Errorf("initramfs: truncated cpio name: %w", err)
		}
		name := string(bytes.TrimRight(nameBuf, "\x00"))
		if _, err := src.skip(pad4(110 + nameSize)); err != nil {
			return false, err
		}
		if name == "TRAILER!!!" {
			return false, nil
		}
		name = strings.TrimLeft(strings.TrimPrefix(name, "./"), "/")
		inModules := strings.HasPrefix(name, "lib/modules/") || strings.HasPrefix(name, "usr/lib/modules/")
		if inModules && isModulePath(name, "virtio_blk") {
			res.HasVirtioBlk = true
			return true, nil
		}
		if inModules && strings.HasSuffix(name, "/modules.builtin") && fileSize <= 4<<20 {
			data, err := src.read(int(fileSize))
			if err != nil {
				return false, err
			}
			if _, err := src.skip(pad4(fileSize)); err != nil {
				return false, err
			}
			if listsModule(data, "virtio_blk") {
				res.HasVirtioBlk = true
				return true, nil
			}
			continue
		}
		if _, err := src.skip(fileSize + pad4(fileSize)); err != nil {
			return false, err
		}
	}
}

func pad4(n int64) int64 { return (4 - n%4) % 4 }

// atSource reads an uncompressed archive in place.
type atSource struct {
	r         io.ReaderAt
	off, size int64
}

func (s *atSource) read(n int) ([]byte, error) {
	if n < 0 || s.off+int64(n) > s.size {
		return nil, io.ErrUnexpectedEOF
	}
	b := make([]byte, n)
	if _, err := s.r.ReadAt(b, s.off); err != nil && !(errors.Is(err, io.EOF) && s.off+int64(n) == s.size) {
		return nil, err
	}
	s.off += int64(n)
	return b, nil
}

func (s *atSource) skip(n int64) (int64, error) {
	if n < 0 || s.off+n > s.size {
		return 0, io.ErrUnexpectedEOF
	}
	s.off += n
	return n, nil
}

// streamSource reads a decompressed archive, counting what it unpacks.
type streamSource struct {
	r        *bufio.Reader
	n, limit int64
}

func (s *streamSource) read(n int) ([]byte, error) {
	if s.n+int64(n) > s.limit {
		return nil, errInitramfsLimit
	}
	b := make([]byte, n)
	got, err := io.ReadFull(s.r, b)
	s.n += int64(got)
	return b, err
}

func (s *streamSource) skip(n int64) (int64, error) {
	if s.n+n > s.limit {
		return 0, errInitramfsLimit
	}
	got, err := s.r.Discard(int(min(n, 1<<40)))
	s.n += int64(got)
	if err == nil && int64(got) < n {
		err = io.ErrUnexpectedEOF
	}
	return int64(got), err
}
