package upload

import (
	"fmt"
	"github.com/uimport/uimport/internal/regularfile"
	"io"
	"os"
	"path/filepath"

	"github.com/uimport/uimport/imageformat"
)

// SniffFile runs imageformat.Sniff on a local file's first HeadSize and
// last TailSize bytes, so the format is checked before anything is sent.
func SniffFile(path string) (imageformat.Result, error) {
	f, err := regularfile.Open(path)
	if err != nil {
		return imageformat.Result{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return imageformat.Result{}, err
	}
	size := fi.Size()
	head := make([]byte, min(size, imageformat.HeadSize))
	if _, err := f.ReadAt(head, 0); err != nil && err != io.EOF {
		return imageformat.Result{}, err
	}
	var tail []byte
	if size > int64(len(head)) {
		tail = make([]byte, min(size, imageformat.TailSize))
		if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
			return imageformat.Result{}, err
		}
	}
	return imageformat.Sniff(head, tail, size), nil
}

// Zero sampling: samples of sampleSize spread evenly through the file,
// sampleCount of them (4 MiB read in all, whatever the size), checked in
// 4 KiB pages. Cheap enough to run before every RAW upload.
const (
	sampleCount  = 64
	sampleSize   = 64 << 10
	zeroPage     = 4 << 10
	zeroMinSize  = 256 << 20 // below this, converting saves too little to mention
	zeroHintFrom = 0.5
)

// ZeroRatio estimates the share of a file's 4 KiB pages that are all
// zeros, from samples spread through it (holes of a sparse file read as
// zeros too).
func ZeroRatio(path string) (float64, error) {
	f, err := regularfile.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := fi.Size()
	if size == 0 {
		return 0, nil
	}
	buf := make([]byte, sampleSize)
	var zero, total int
	for i := range sampleCount {
		off := size / sampleCount * int64(i) / zeroPage * zeroPage
		n, err := f.ReadAt(buf, off)
		if err != nil && err != io.EOF {
			return 0, err
		}
		for p := 0; p < n; p += zeroPage {
			total++
			if allZero(buf[p:min(p+zeroPage, n)]) {
				zero++
			}
		}
	}
	if total == 0 {
		return 0, nil
	}
	return float64(zero) / float64(total), nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// ZeroRatioHint returns advice for a RAW image that is mostly zeros:
// qcow2 stores no zero clusters, so converting first uploads far less. It
// says nothing (false) for small files or files that are mostly data.
// The caller decides when the format is RAW.
func ZeroRatioHint(path string) (string, bool) {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() < zeroMinSize {
		return "", false
	}
	r, err := ZeroRatio(path)
	if err != nil || r < zeroHintFrom {
		return "", false
	}
	name := filepath.Base(path)
	// Only said when the RAW goes as it is (--as-is, or declared RAW):
	// otherwise uimport sends it as qcow2 of its data by itself.
	return fmt.Sprintf("about %.0f%% of %s is zeros: without --as-is and --format RAW, only its data would be sent (as qcow2), much less than %s",
		r*100, name, name), true
}
