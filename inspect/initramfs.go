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
