//go:build linux

package convert

import (
	"os"

	"golang.org/x/sys/unix"
)

// dataExtent finds the next run of data at or after off: [start, end).
// A file system without SEEK_DATA reports the whole rest as data.
func dataExtent(f *os.File, off, size int64) (start, end int64, ok bool) {
	fd := int(f.Fd())
	s, err := unix.Seek(fd, off, unix.SEEK_DATA)
	if err != nil {
		if err == unix.ENXIO {
			return 0, 0, false // only a hole from off to the end
		}
		return off, size, true
	}
	if s >= size {
		return 0, 0, false
	}
	e, err := unix.Seek(fd, s, unix.SEEK_HOLE)
	if err != nil || e > size {
		e = size
	}
	return s, e, true
}
