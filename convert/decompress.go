package convert

import (
	"bufio"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Packing is a compression format recognised by its magic bytes.
type Packing string

const (
	Gzip  Packing = "gzip"
	XZ    Packing = "xz"
	Zstd  Packing = "zstd"
	Bzip2 Packing = "bzip2"
)

// Memory bounds for decompressors, whatever the file asks for: xz -9 and
// zstd -19 stay under them; a file that asks for more is refused with the
// command that unpacks it instead.
const (
	maxXZDict     = 64 << 20
	maxZstdWindow = 128 << 20
)

// packingOf names the compression whose magic starts head, or "".
func packingOf(head []byte) Packing {
	switch {
	case hasPrefix(head, "\x1f\x8b"):
		return Gzip
	case hasPrefix(head, "\xfd7zXZ\x00"):
		return XZ
	case hasPrefix(head, "\x28\xb5\x2f\xfd"):
		return Zstd
	case hasPrefix(head, "BZh") && len(head) > 3 && head[3] >= '1' && head[3] <= '9':
		return Bzip2
	}
	return ""
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// unpackCommand is the shell command that undoes a packing, for messages.
func unpackCommand(p Packing, name string) string {
	switch p {
	case Gzip:
		return "gunzip -k " + name
	case XZ:
		return "xz -dk " + name
	case Zstd:
		return "zstd -d " + name
	case Bzip2:
		return "bunzip2 -k " + name
	}
	return ""
}

// decompressor is an open decompressing reader; close frees its memory.
type decompressor struct {
	io.Reader
	close func()
}

// openPacking starts decompressing r. name is the file's name, for messages.
func openPacking(p Packing, r io.Reader, name string) (*decompressor, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	fail := func(err error) error {
		return &PackedError{Packing: p, Name: name, Err: err}
	}
	switch p {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fail(err)
		}
		return &decompressor{Reader: zr, close: func() { zr.Close() }}, nil
	case XZ:
		if err := checkXZDict(br); err != nil {
			return nil, fail(err)
		}
		if d, ok := externalXZ(br); ok {
			return d, nil
		}
		zr, err := xz.ReaderConfig{}.NewReader(br)
		if err != nil {
			return nil, fail(err)
		}
		return &decompressor{Reader: zr, close: func() {}}, nil
	case Zstd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderMaxMemory(maxZstdWindow), zstd.WithDecoderMaxWindow(maxZstdWindow),
			zstd.WithDecoderLowmem(true), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fail(err)
		}
		return &decompressor{Reader: zr, close: zr.Close}, nil
	case Bzip2:
		return &decompressor{Reader: bzip2.NewReader(br), close: func() {}}, nil
	}
	return nil, fmt.Errorf("convert: unknown packing %q", p)
}

// checkXZDict reads the first block header of an xz stream (without
// consuming it) and refuses a dictionary larger than maxXZDict: the
// decoder allocates whatever the header asks, up to 1.5 GiB.
func checkXZDict(br *bufio.Reader) error {
	head, _ := br.Peek(12 + 1024)
	if len(head) < 13 {
		return errors.New("the xz data is cut short")
	}
	b := head[12:]
	hsize := (int(b[0]) + 1) * 4
	if b[0] == 0 || len(b) < hsize {
		return nil // an empty stream or an index: the decoder judges it
	}
	flags := b[1]
	pos := 2
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && pos < hsize; i++ {
			c := b[pos]
			pos++
			v |= uint64(c&0x7f) << (7 * i)
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		if _, ok := varint(); !ok {
			return nil
		}
	}
	if flags&0x80 != 0 {
		if _, ok := varint(); !ok {
			return nil
		}
	}
	for f := 0; f <= int(flags&3); f++ {
		id, ok1 := varint()
		psize, ok2 := varint()
		if !ok1 || !ok2 || psize > uint64(hsize-pos) {
			return nil // malformed: the decoder says so
		}
		if id == 0x21 && psize == 1 {
			if d := xzDictSize(b[pos]); d > maxXZDict {
				return fmt.Errorf("it needs a %d MiB dictionary, more than the %d MiB uimport allows (xz -9 uses 64)", d>>20, maxXZDict>>20)
			}
			return nil
		}
		pos += int(psize)
	}
	return nil
}

// xzDictSize decodes an LZMA2 dictionary size byte.
func xzDictSize(c byte) int64 {
	if c > 40 {
		return 1 << 62
	}
	if c == 40 {
		return 1<<32 - 1
	}
	return int64(2|c&1) << (c/2 + 11)
}

// PackedError says a compressed file could not be unpacked.
type PackedError struct {
	Packing Packing
	Name    string
	Err     error
}

func (e *PackedError) Error() string {
	return fmt.Sprintf("%s is not valid %s data (%v); check the file, or unpack it by hand (%s) to see what is wrong",
		e.Name, e.Packing, e.Err, unpackCommand(e.Packing, e.Name))
}

func (e *PackedError) Unwrap() error { return e.Err }
