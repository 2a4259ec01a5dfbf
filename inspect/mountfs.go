package inspect

import (
	"io/fs"
	"slices"
	"strings"
)

// mountFS joins the guest's file systems at their mount points, so the
// rest of the inspection reads paths as the running guest would
// ("boot/grub2/grub.cfg" whether /boot is apart or not).
type mountFS struct {
	mounts []mountPoint // longest point first
}

type mountPoint struct {
	point string // "" for the root, "boot", "usr"
	fsys  fs.FS
}

func (m *mountFS) add(point string, fsys fs.FS) {
	m.mounts = append(m.mounts, mountPoint{point, fsys})
	slices.SortStableFunc(m.mounts, func(a, b mountPoint) int { return len(b.point) - len(a.point) })
}

// Open opens name on the file system mounted over it.
func (m *mountFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for _, mp := range m.mounts {
		switch {
		case mp.point == "":
			return mp.fsys.Open(name)
		case name == mp.point:
			return mp.fsys.Open(".")
		case strings.HasPrefix(name, mp.point+"/"):
			return mp.fsys.Open(name[len(mp.point)+1:])
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
