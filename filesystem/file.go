package filesystem

import (
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

type info struct {
	name string
	n    Node
}

func (i info) Name() string       { return i.name }
func (i info) Size() int64        { return i.n.Size }
func (i info) Mode() fs.FileMode  { return i.n.Mode }
func (i info) ModTime() time.Time { return i.n.ModTime }
func (i info) IsDir() bool        { return i.n.Mode.IsDir() }
func (i info) Sys() any           { return i.n.Sys }

type emptyReader struct{}

func (emptyReader) ReadAt([]byte, int64) (int, error) { return 0, io.EOF }

// file is an open regular file (or a special file, read as empty).
type file struct {
	name string
	n    Node
	r    *io.SectionReader
}

func (f *file) Stat() (fs.FileInfo, error)                { return info{name: baseName(f.name), n: f.n}, nil }
func (f *file) Read(p []byte) (int, error)                { return f.r.Read(p) }
func (f *file) ReadAt(p []byte, off int64) (int, error)   { return f.r.ReadAt(p, off) }
func (f *file) Seek(off int64, whence int) (int64, error) { return f.r.Seek(off, whence) }
func (f *file) Close() error                              { return nil }

// dir is an open directory.
type dir struct {
	f    *FS
	name string
	n    Node
	list []fs.DirEntry
	read bool
}

func (d *dir) Stat() (fs.FileInfo, error) { return info{name: baseName(d.name), n: d.n}, nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: fs.ErrInvalid}
}
func (d *dir) Close() error { return nil }

func (d *dir) ReadDir(count int) ([]fs.DirEntry, error) {
	if !d.read {
		l, err := d.f.readDirNode(d.name, d.n)
		if err != nil {
			return nil, err
		}
		d.list, d.read = l, true
	}
	if count <= 0 {
		out := d.list
		d.list = nil
		return out, nil
	}
	if len(d.list) == 0 {
		return nil, io.EOF
	}
	count = min(count, len(d.list))
	out := d.list[:count]
	d.list = d.list[count:]
	return out, nil
}

type dirEntry struct {
	f    *FS
	dir  Node
	e    Entry
	path string
}

func (e dirEntry) Name() string      { return e.e.Name }
func (e dirEntry) IsDir() bool       { return e.e.Type.IsDir() }
func (e dirEntry) Type() fs.FileMode { return e.e.Type.Type() }
func (e dirEntry) Info() (fs.FileInfo, error) {
	n, err := e.f.v.Lookup(e.dir, e.e.Name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: e.path, Err: err}
	}
	return info{name: e.e.Name, n: n}, nil
}

func (f *FS) readDirNode(name string, n Node) ([]fs.DirEntry, error) {
	if !n.Mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	entries, err := f.v.ReadDir(n)
	if err != nil && len(entries) == 0 {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := make([]fs.DirEntry, 0, len(entries))
	for _, e := range entries {
		if e.Name == "" || e.Name == "." || e.Name == ".." || strings.ContainsRune(e.Name, '/') {
			continue
		}
		if e.Type == fs.ModeIrregular {
			if c, lerr := f.v.Lookup(n, e.Name); lerr == nil {
				e.Type = c.Mode.Type()
			}
		}
		out = append(out, dirEntry{f: f, dir: n, e: e, path: joinPath(name, e.Name)})
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if err != nil {
		return out, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return out, nil
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func joinPath(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}
