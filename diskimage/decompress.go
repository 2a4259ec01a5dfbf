package diskimage

import (
	"bytes"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// The decompressors below fill at most len(dst) bytes: a compressed
// cluster that claims to expand further (a decompression bomb) stops
// there. Each reads only what it needs from src, since a qcow2 compressed
// cluster's byte range is rounded up to whole sectors and runs into its
// neighbour. klauspost/compress's flate and zlib have the standard
// library's API and decompress streamOptimized VMDKs several times faster.

var flatePool sync.Pool // of flate readers (io.ReadCloser + flate.Resetter)

// inflateRaw decompresses raw deflate (RFC 1951), qcow2's zlib type.
func inflateRaw(dst, src []byte) bool {
	br := bytes.NewReader(src)
	fr, _ := flatePool.Get().(io.ReadCloser)
	if fr == nil {
		fr = flate.NewReader(br)
	} else if fr.(flate.Resetter).Reset(br, nil) != nil {
		return false
	}
	defer flatePool.Put(fr)
	_, err := io.ReadFull(io.LimitReader(fr, int64(len(dst))), dst)
	return err == nil
}

var zlibPool sync.Pool // of zlib readers

// inflateZlib decompresses zlib (RFC 1950), VMDK's deflate grains. It
// returns how many bytes it wrote: a grain may be shorter than dst at the
// end of the disk.
func inflateZlib(dst, src []byte) (int, bool) {
	br := bytes.NewReader(src)
	var zr io.ReadCloser
	if pooled, _ := zlibPool.Get().(io.ReadCloser); pooled != nil && pooled.(zlib.Resetter).Reset(br, nil) == nil {
		zr = pooled
	} else {
		var err error
		if zr, err = zlib.NewReader(br); err != nil {
			return 0, false
		}
	}
	defer zlibPool.Put(zr)
	n, err := io.ReadFull(io.LimitReader(zr, int64(len(dst))), dst)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		// The stream ended before dst was full: fine if it ended
		// properly (checksum and all), which the next read tells.
		var one [1]byte
		_, err = zr.Read(one[:])
		return n, err == io.EOF
	}
	return n, err == nil
}

// zstdPool holds streaming decoders that run synchronously (concurrency
// 1, no goroutines) with a bounded window, so memory per decode is bounded.
var zstdPool sync.Pool

// zstdMaxWindow bounds the history a frame may ask for. QEMU compresses
// one cluster (at most 2 MiB) per frame.
const zstdMaxWindow = 8 << 20

func unzstd(dst, src []byte) bool {
	br := bytes.NewReader(src)
	d, _ := zstdPool.Get().(*zstd.Decoder)
	if d == nil {
		var err error
		d, err = zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return false
		}
	} else if d.Reset(br) != nil {
		return false
	}
	defer zstdPool.Put(d)
	_, err := io.ReadFull(io.LimitReader(d, int64(len(dst))), dst)
	return err == nil
}
