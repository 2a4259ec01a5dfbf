package inspect

import (
	"errors"
	"io"
	"io/fs"
)

// maxSmallFile bounds the configuration files read whole (os-release,
// fstab, grub.cfg, grubenv ...). Real ones are a few KiB; grub.cfg with
// many kernels stays under 100 KiB.
const maxSmallFile = 1 << 20

// readSmall reads a file of at most maxSmallFile bytes.
func readSmall(fsys fs.FS, name string) ([]byte, error) {
	return readLimited(fsys, name, maxSmallFile)
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errTooLarge}
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

var errTooLarge = errors.New("file too large")
