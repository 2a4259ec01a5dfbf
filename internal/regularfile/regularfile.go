// Package regularfile opens a local image only when it is a regular file.
// Opening a FIFO blocks until a writer comes, and a device or /dev/zero
// reads forever: a path is checked before it is opened, and again after.
package regularfile

import (
	"errors"
	"os"
)

// ErrNotRegular: the path is a directory, FIFO, device or socket.
var ErrNotRegular = errors.New("not a regular file")

// Open opens path for reading if it is a regular file (links followed).
func Open(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &os.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// The path may have been swapped between Stat and Open.
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = &os.PathError{Op: "open", Path: path, Err: ErrNotRegular}
		}
		return nil, err
	}
	return f, nil
}
