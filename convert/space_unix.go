//go:build unix

package convert

import "golang.org/x/sys/unix"

// freeSpace is what an unprivileged user may still write in dir, or -1.
func freeSpace(dir string) int64 {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize) //nolint:unconvert // field types differ by OS
}
