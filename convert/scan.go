package convert

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
)

// maxDataClusters bounds the cluster list (8 bytes each: 32 MiB for
// 256 GiB of data), so memory stays bounded whatever the disk.
const maxDataClusters = 4 << 20

// errTooMuchData: more data clusters than maxDataClusters.
var errTooMuchData = errors.New("convert: the disk holds too much data to map in memory")

// Scan reads a RAW disk of size bytes in order and returns the indexes of
// its non-zero clusters. progress, if set, is told the bytes read so far.
func Scan(ctx context.Context, r io.Reader, size int64, progress func(int64)) ([]int64, error) {
	var data []int64
	buf := make([]byte, 16*ClusterSize) // a few clusters per read
	var done int64
	for done < size {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(int64(len(buf)), size-done)
		if _, err := io.ReadFull(r, buf[:n]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, errors.New("convert: the image is shorter than its size")
			}
			return nil, err
		}
		data = appendNonZero(data, buf[:n], done)
		if len(data) > maxDataClusters {
			return nil, errTooMuchData
		}
		done += n
		if progress != nil {
			progress(done)
		}
	}
	return data, nil
}

// appendNonZero adds the clusters of chunk (which starts at byte base, a
// multiple of ClusterSize) that hold a non-zero byte.
func appendNonZero(data []int64, chunk []byte, base int64) []int64 {
	for i := 0; i < len(chunk); i += ClusterSize {
		c := chunk[i:min(len(chunk), i+ClusterSize)]
		if !bytes.Equal(c, zeroCluster[:len(c)]) {
			data = append(data, (base+int64(i))/ClusterSize)
		}
	}
	return data
}

// ScanFile is Scan for a file on this machine: holes the file system knows
// of (SEEK_DATA/SEEK_HOLE) are skipped without reading them.
func ScanFile(ctx context.Context, f *os.File, size int64, progress func(int64)) ([]int64, error) {
	var data []int64
	buf := make([]byte, 16*ClusterSize)
	off := int64(0)
	for off < size {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start, end, ok := dataExtent(f, off, size)
		if !ok {
			break // the rest is a hole
		}
		// Work in whole clusters: a data extent need not be aligned.
		start = start / ClusterSize * ClusterSize
		if start < off {
			start = off
		}
		stop := min(size, (end+ClusterSize-1)/ClusterSize*ClusterSize)
		for pos := start; pos < stop; {
			n := min(int64(len(buf)), stop-pos)
			got, err := f.ReadAt(buf[:n], pos)
			if int64(got) < n {
				if err == nil || errors.Is(err, io.EOF) {
					return nil, errors.New("convert: the image is shorter than its size")
				}
				return nil, err
			}
			data = appendNonZero(data, buf[:n], pos)
			if len(data) > maxDataClusters {
				return nil, errTooMuchData
			}
			pos += n
			if progress != nil {
				progress(pos)
			}
		}
		off = stop
	}
	if progress != nil {
		progress(size)
	}
	return data, nil
}
