package inspect

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// Bounds on one initramfs scan, whatever the archive claims.
const (
	// maxInitramfsBytes bounds the bytes decompressed; a distribution's
	// initramfs is 30-150 MiB unpacked.
	maxInitramfsBytes = 512 << 20
	maxCpioEntries    = 1 << 20
	maxCpioName       = 4096
	maxCpioSegments   = 16
	// maxDictionary bounds the xz / lzma / zstd window (memory held while
	// decompressing); dracut and mkinitramfs use 1-32 MiB.
	maxDictionary = 128 << 20
)

var (
	errInitramfsLimit = errors.New("stopped at the decompression limit (512 MiB) before finding virtio_blk")
	errCpioEntries    = errors.New("stopped: too many archive entries")
)

// initramfsScan is what scanning one initramfs found.
type initramfsScan struct {
	HasVirtioBlk bool   // virtio_blk.ko* or a modules.builtin naming it
	Compression  string // of the main archive: "gzip", "xz", "zstd", "lz4", "bzip2", "lzma", "none"
	Entries      int
}

// scanInitramfs walks the concatenated cpio archives of an initramfs (an
// uncompressed early microcode archive, then a compressed main one) until
// it sees virtio_blk. A read error or a limit ends the scan with what was
// seen so far.
func scanInitramfs(ctx context.Context, r io.ReaderAt, size int64) (*initramfsScan, error) {
	return scanInitramfsLimit(ctx, r, size, maxInitramfsBytes)
}

func scanInitramfsLimit(ctx context.Context, r io.ReaderAt, size, limit int64) (*initramfsScan, error) {
	res := &initramfsScan{Compression: "none"}
	off := int64(0)
	for seg := 0; seg < maxCpioSegments; seg++ {
		next, err := skipZeros(r, off, size)
		if err != nil || next >= size {
			return res, err
		}
		off = next
		var magic [6]byte
		if _, err := r.ReadAt(magic[:], off); err != nil {
			return res, fmt.Errorf("initramfs: short read at %d", off)
		}
		if string(magic[:]) == "070701" || string(magic[:]) == "070702" {
			src := &atSource{r: r, off: off, size: size}
			done, err := scanCpio(ctx, src, res)
			if err != nil || done {
				return res, err
			}
			off = src.off
			continue
		}
		dec, name, err := decompressor(magic[:], io.NewSectionReader(r, off, size-off))
		if err != nil {
			return res, err
		}
		res.Compression = name
		src := &streamSource{r: bufio.NewReaderSize(dec, 64<<10), limit: limit}
		_, err = scanCpioStream(ctx, src, res)
		if c, ok := dec.(io.Closer); ok {
			c.Close()
		}
		// A compressed archive is the last part the kernel unpacks.
		return res, err
	}
	return res, nil
}

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

// skipZeros returns the offset of the first non-zero byte at or after off.
func skipZeros(r io.ReaderAt, off, size int64) (int64, error) {
	buf := make([]byte, 4096)
	for off < size {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if i := bytes.IndexFunc(buf[:n], func(c rune) bool { return c != 0 }); i >= 0 {
			return off + int64(i), nil
		}
		off += int64(n)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return size, nil
			}
			return off, err
		}
	}
	return off, nil
}

// decompressor opens the compressed archive that starts with magic.
func decompressor(magic []byte, r *io.SectionReader) (io.Reader, string, error) {
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		z, err := gzip.NewReader(r)
		return z, "gzip", err
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		if err := checkXZDictionary(r); err != nil {
			return nil, "xz", err
		}
		z, err := xz.NewReader(r)
		return z, "xz", err
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxWindow(maxDictionary), zstd.WithDecoderMaxMemory(maxInitramfsBytes))
		if err != nil {
			return nil, "zstd", err
		}
		return zstdCloser{z}, "zstd", nil
	case bytes.HasPrefix(magic, []byte{0x02, 0x21, 0x4c, 0x18}), bytes.HasPrefix(magic, []byte{0x04, 0x22, 0x4d, 0x18}):
		z := lz4.NewReader(r)
		if err := z.Apply(lz4.ConcurrencyOption(1)); err != nil {
			return nil, "lz4", err
		}
		return z, "lz4", nil
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(r), "bzip2", nil
	case bytes.HasPrefix(magic, []byte{0x5d, 0, 0}):
		var h [13]byte
		if _, err := r.ReadAt(h[:], 0); err != nil {
			return nil, "lzma", fmt.Errorf("initramfs: short lzma header")
		}
		if d := binary.LittleEndian.Uint32(h[1:]); d > maxDictionary {
			return nil, "lzma", fmt.Errorf("initramfs: lzma dictionary of %d MiB is over the %d MiB limit", d>>20, maxDictionary>>20)
		}
		z, err := lzma.NewReader(r)
		return z, "lzma", err
	}
	return nil, "", fmt.Errorf("initramfs: unknown format (starts % x)", magic)
}

type zstdCloser struct{ *zstd.Decoder }

func (z zstdCloser) Close() error { z.Decoder.Close(); return nil }

// checkXZDictionary refuses an xz stream whose first block asks for a
// dictionary over maxDictionary: the decoder would allocate it whole.
func checkXZDictionary(r io.ReaderAt) error {
	var h [12 + 1024]byte
	n, _ := r.ReadAt(h[:], 0)
	b := h[:n]
	if len(b) < 13 || b[12] == 0 { // no block: only an index
		return nil
	}
	hdrLen := (int(b[12]) + 1) * 4
	if 12+hdrLen > len(b) {
		return errors.New("initramfs: truncated xz block header")
	}
	blk := b[13 : 12+hdrLen]
	flags := blk[0]
	p := 1
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(blk); i++ {
			c := blk[p]
			p++
			v |= uint64(c&0x7f) << (7 * i)
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		varint()
	}
	if flags&0x80 != 0 {
		varint()
	}
	for f := 0; f <= int(flags&3); f++ {
		id, ok1 := varint()
		psize, ok2 := varint()
		if !ok1 || !ok2 || psize > uint64(len(blk)) || p+int(psize) > len(blk) {
			return errors.New("initramfs: bad xz block header")
		}
		if id == 0x21 && psize >= 1 {
			d := blk[p]
			if d > 40 {
				return errors.New("initramfs: bad xz dictionary size")
			}
			dict := uint64(2|d&1) << (d/2 + 11)
			if dict > maxDictionary {
				return fmt.Errorf("initramfs: xz dictionary of %d MiB is over the %d MiB limit", dict>>20, maxDictionary>>20)
			}
		}
		p += int(psize)
	}
	return nil
}
