package filesystem

import (
	"errors"
	"fmt"
)

var (
	// ErrTooMany: a directory listing was cut at MaxDirEntries.
	ErrTooMany = errors.New("directory has too many entries")
	// ErrLinkLoop: more than MaxLinkHops symlinks in one path.
	ErrLinkLoop = errors.New("too many levels of symbolic links")
	// ErrTooLarge: ReadFile of a file over MaxReadFile.
	ErrTooLarge = errors.New("file too large to read whole")
)

// CorruptError says what in the file system's own structures is wrong.
type CorruptError struct {
	FS   string // "ext4", "xfs"
	What string
}

func (e *CorruptError) Error() string { return fmt.Sprintf("%s: corrupt: %s", e.FS, e.What) }

// Corruptf builds a *CorruptError.
func Corruptf(fsName, format string, args ...any) error {
	return &CorruptError{FS: fsName, What: fmt.Sprintf(format, args...)}
}
