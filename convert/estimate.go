package convert

import (
	"bytes"
	"io"
	"os"
)

// Before reading a whole local RAW to map its data, a cheap look says
// whether converting could pay: the file system's holes (SEEK_DATA/
// SEEK_HOLE, no data read) and zero clusters at samples spread through
// it. A disk that is nearly all allocated data is sent as it is without
// the full read (which for a 100 GiB disk is minutes).
const (
	estimateSamples = 64
	// skipBelow: a sampled share of zero clusters under this, in a file
	// with no holes to speak of, means qcow2 would save well under
	// DefaultMinSaving.
	skipBelow = 0.10
)

// allocated is the bytes of f inside data extents, up to size.
func allocated(f *os.File, size int64) int64 {
	var n int64
	for off := int64(0); off < size; {
		start, end, ok := dataExtent(f, off, size)
		if !ok {
			break
		}
		n += end - start
		off = end
	}
	return n
}

// worthScanning reports whether a full scan might find enough zeros.
func worthScanning(f *os.File, size int64, minSaving float64) bool {
	if size < estimateSamples*ClusterSize*4 {
		return true // small: the scan is cheap
	}
	if float64(allocated(f, size)) < float64(size)*(1-minSaving/2) {
		return true
	}
	buf := make([]byte, ClusterSize)
	zero := 0
	step := size / estimateSamples / ClusterSize * ClusterSize
	for i := range int64(estimateSamples) {
		n, err := f.ReadAt(buf, i*step)
		if err != nil && err != io.EOF {
			return true // the scan will report it
		}
		if bytes.Equal(buf[:n], zeroCluster[:n]) {
			zero++
		}
	}
	return float64(zero)/estimateSamples >= skipBelow
}
