//go:build !unix

package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// openNoFollow refuses a symbolic link found by Lstat (this platform has
// no O_NOFOLLOW in the standard library; the window between the check and
// the open is accepted here).
func openNoFollow(path string, flag int) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; uimport does not follow it (remove the link)", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return os.OpenFile(path, flag, 0o600)
}
