package filesystem

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
)

// FS serves a Volume as an io/fs file system. Open, Stat, ReadFile and
// ReadDir follow symbolic links anywhere in the path; Lstat and ReadLink do
// not follow the last element. Absolute link targets resolve from the root
// of this file system, as they would inside the guest.
type FS struct{ v Volume }

// New wraps v.
func New(v Volume) *FS { return &FS{v: v} }

// Volume returns the reader underneath.
func (f *FS) Volume() Volume { return f.v }

var (
	_ fs.FS         = (*FS)(nil)
	_ fs.StatFS     = (*FS)(nil)
	_ fs.ReadDirFS  = (*FS)(nil)
	_ fs.ReadFileFS = (*FS)(nil)
	_ fs.ReadLinkFS = (*FS)(nil)
)

// resolve walks name from the root. With follow, a symlink as the last
// element is followed too.
func (f *FS) resolve(op, name string, follow bool) (Node, error) {
	if !fs.ValidPath(name) {
		return Node{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	root, err := f.v.Root()
	if err != nil {
		return Node{}, &fs.PathError{Op: op, Path: name, Err: err}
	}
	// stack holds the directories from the root to the current one, so
	// ".." in a link target can go back up.
	stack := []Node{root}
	todo := splitPath(name)
	hops, steps := 0, 0
	for len(todo) > 0 {
		steps++
		if steps > 1<<14 { // bounds pathological ../.. chains
			return Node{}, &fs.PathError{Op: op, Path: name, Err: ErrLinkLoop}
		}
		elem := todo[0]
		todo = todo[1:]
		cur := stack[len(stack)-1]
		switch elem {
		case ".":
			continue
		case "..":
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if !cur.Mode.IsDir() {
			return Node{}, &fs.PathError{Op: op, Path: name, Err: errNotDir}
		}
		n, err := f.v.Lookup(cur, elem)
		if err != nil {
			return Node{}, &fs.PathError{Op: op, Path: name, Err: err}
		}
		if n.Mode&fs.ModeSymlink != 0 && (len(todo) > 0 || follow) {
			hops++
			if hops > MaxLinkHops {
				return Node{}, &fs.PathError{Op: op, Path: name, Err: ErrLinkLoop}
			}
			target, err := f.v.ReadLink(n)
			if err != nil {
				return Node{}, &fs.PathError{Op: op, Path: name, Err: err}
			}
			if len(target) == 0 || len(target) > MaxLinkLen {
				return Node{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
			}
			if strings.HasPrefix(target, "/") {
				stack = stack[:1]
			}
			todo = append(splitPath(target), todo...)
			continue
		}
		stack = append(stack, n)
	}
	return stack[len(stack)-1], nil
}

var errNotDir = errors.New("not a directory")

func splitPath(p string) []string {
	var out []string
	for _, e := range strings.Split(p, "/") {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// Open opens name, following symlinks.
func (f *FS) Open(name string) (fs.File, error) {
	n, err := f.resolve("open", name, true)
	if err != nil {
		return nil, err
	}
	return f.openNode(name, n)
}

func (f *FS) openNode(name string, n Node) (fs.File, error) {
	if n.Mode.IsDir() {
		return &dir{f: f, name: name, n: n}, nil
	}
	if !n.Mode.IsRegular() {
		return &file{name: name, n: n, r: io.NewSectionReader(emptyReader{}, 0, 0)}, nil
	}
	ra, err := f.v.Open(n)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &file{name: name, n: n, r: io.NewSectionReader(ra, 0, n.Size)}, nil
}

// Stat describes name, following symlinks.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	n, err := f.resolve("stat", name, true)
	if err != nil {
		return nil, err
	}
	return info{name: path.Base(name), n: n}, nil
}

// Lstat describes name without following a final symlink.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	n, err := f.resolve("lstat", name, false)
	if err != nil {
		return nil, err
	}
	return info{name: path.Base(name), n: n}, nil
}

// ReadLink returns the target of the symlink name.
func (f *FS) ReadLink(name string) (string, error) {
	n, err := f.resolve("readlink", name, false)
	if err != nil {
		return "", err
	}
	if n.Mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	t, err := f.v.ReadLink(n)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return t, nil
}

// ReadFile reads a whole regular file of at most MaxReadFile bytes.
func (f *FS) ReadFile(name string) ([]byte, error) {
	n, err := f.resolve("readfile", name, true)
	if err != nil {
		return nil, err
	}
	if !n.Mode.IsRegular() {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	if n.Size > MaxReadFile || n.Size < 0 {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: ErrTooLarge}
	}
	ra, err := f.v.Open(n)
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	buf := make([]byte, n.Size)
	got, err := ra.ReadAt(buf, 0)
	if err != nil && !(errors.Is(err, io.EOF) && int64(got) == n.Size) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	return buf, nil
}

// ReadDir lists the directory name, sorted by name; entries whose type the
// reader could not tell are looked up.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := f.resolve("readdir", name, true)
	if err != nil {
		return nil, err
	}
	return f.readDirNode(name, n)
}
