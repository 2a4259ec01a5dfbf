//go:build unix

package upload

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive, non-blocking flock on path, so two uimport
// processes never drive uploads to the same bucket and key at once. The
// kernel drops the lock when the process dies, so a kill -9 leaves no
// stale lock behind. The file is opened without following a symbolic
// link. Because the holder deletes the file on release, a lock won on a
// file that is no longer the one at path is dropped and taken again.
func lockFile(path string) (unlock func(), err error) {
	for range 5 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, ErrBusy
			}
			return nil, err
		}
		held, err1 := f.Stat()
		now, err2 := os.Lstat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return func() { f.Close() }, nil
		}
		f.Close() // the holder removed it meanwhile: try the new one
	}
	return nil, ErrBusy
}
