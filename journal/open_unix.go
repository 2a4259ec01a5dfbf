//go:build unix

package journal

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openNoFollow opens path without following a symbolic link in its last
// element: a journal replaced by a link to another file must not get
// JSON appended to that file.
func openNoFollow(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link; uimport does not follow it (remove the link)", path)
	}
	return f, err
}
