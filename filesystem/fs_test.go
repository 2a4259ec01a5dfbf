package filesystem

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// memVolume is a tiny in-memory Volume: nodes by inode number.
type memVolume struct {
	nodes map[uint64]*memNode
}

type memNode struct {
	mode     fs.FileMode
	data     string
	children map[string]uint64
}

func (m *memVolume) node(ino uint64) (Node, error) {
	n, ok := m.nodes[ino]
	if !ok {
		return Node{}, fs.ErrNotExist
	}
	return Node{Ino: ino, Mode: n.mode, Size: int64(len(n.data))}, nil
}

func (m *memVolume) Root() (Node, error) { return m.node(1) }
func (m *memVolume) Lookup(dir Node, name string) (Node, error) {
	ino, ok := m.nodes[dir.Ino].children[name]
	if !ok {
		return Node{}, fs.ErrNotExist
	}
	return m.node(ino)
}
func (m *memVolume) ReadDir(dir Node) ([]Entry, error) {
	var out []Entry
	for name, ino := range m.nodes[dir.Ino].children {
		out = append(out, Entry{Name: name, Ino: ino, Type: fs.ModeIrregular})
	}
	return out, nil
}
func (m *memVolume) Open(n Node) (io.ReaderAt, error) {
	return strings.NewReader(m.nodes[n.Ino].data), nil
}
func (m *memVolume) ReadLink(n Node) (string, error) { return m.nodes[n.Ino].data, nil }

// build makes a volume from paths: "d/" is a directory, "l -> t" a
// symlink, anything else a file holding its own path.
func build(t *testing.T, paths ...string) *FS {
	t.Helper()
	v := &memVolume{nodes: map[uint64]*memNode{1: {mode: fs.ModeDir | 0o755, children: map[string]uint64{}}}}
	next := uint64(2)
	for _, p := range paths {
		target, isLink := "", false
		if a, b, ok := strings.Cut(p, " -> "); ok {
			p, target, isLink = a, b, true
		}
		isDir := strings.HasSuffix(p, "/")
		parts := splitPath(p)
		cur := v.nodes[1]
		for i, part := range parts {
			last := i == len(parts)-1
			if ino, ok := cur.children[part]; ok && !last {
				cur = v.nodes[ino]
				continue
			}
			n := &memNode{mode: fs.ModeDir | 0o755, children: map[string]uint64{}}
			if last && isLink {
				n = &memNode{mode: fs.ModeSymlink | 0o777, data: target}
			} else if last && !isDir {
				n = &memNode{mode: 0o644, data: p}
			}
			v.nodes[next] = n
			cur.children[part] = next
			next++
			cur = n
		}
	}
	return New(v)
}

func TestSymlinksResolveInsideTheGuest(t *testing.T) {
	f := build(t,
		"usr/lib/os-release",
		"etc/os-release -> ../usr/lib/os-release",
		"lib -> usr/lib",
		"etc/abs -> /usr/lib/os-release",
		"etc/escape -> ../../../../usr/lib/os-release",
		"boot/grub2/grubenv",
		"boot/grub -> grub2",
		"etc/alternatives/x -> /etc/os-release",
	)
	for name, want := range map[string]string{
		"etc/os-release":     "usr/lib/os-release",
		"lib/os-release":     "usr/lib/os-release",
		"etc/abs":            "usr/lib/os-release",
		"etc/escape":         "usr/lib/os-release", // ".." at the root stays at the root
		"boot/grub/grubenv":  "boot/grub2/grubenv",
		"etc/alternatives/x": "usr/lib/os-release", // a link to a link
	} {
		got, err := f.ReadFile(name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if target, err := f.ReadLink("etc/os-release"); err != nil || target != "../usr/lib/os-release" {
		t.Errorf("ReadLink = %q, %v", target, err)
	}
	if fi, err := f.Lstat("lib"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat(lib) = %v, %v; want a symlink", fi, err)
	}
	if fi, err := f.Stat("lib"); err != nil || !fi.IsDir() {
		t.Errorf("Stat(lib) = %v, %v; want the directory", fi, err)
	}
}

func TestLinkLoopsEnd(t *testing.T) {
	f := build(t, "a -> b", "b -> a", "self -> self", "d/x -> ../d/x", "deep -> deep/deep")
	for _, name := range []string{"a", "self", "d/x", "deep", "deep/y"} {
		_, err := f.ReadFile(name)
		if !errors.Is(err, ErrLinkLoop) {
			t.Errorf("ReadFile(%q): want ErrLinkLoop, got %v", name, err)
		}
	}
}

func TestMissingAndInvalidPaths(t *testing.T) {
	f := build(t, "etc/hostname", "dangling -> /nowhere")
	for _, name := range []string{"etc/nope", "dangling", "etc/hostname/x"} {
		if _, err := f.Open(name); err == nil {
			t.Errorf("Open(%q) succeeded", name)
		}
	}
	for _, name := range []string{"/etc/hostname", "../x", "etc//hostname"} {
		if _, err := f.Open(name); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q): want ErrInvalid, got %v", name, err)
		}
	}
}

func TestBehavesAsAnIOFS(t *testing.T) {
	f := build(t, "etc/hostname", "etc/fstab", "usr/lib/os-release", "boot/", "lib -> usr/lib")
	if err := fstest.TestFS(f, "etc/hostname", "etc/fstab", "usr/lib/os-release", "boot", "lib"); err != nil {
		t.Fatal(err)
	}
}

func TestReadFileIsBounded(t *testing.T) {
	v := &memVolume{nodes: map[uint64]*memNode{
		1: {mode: fs.ModeDir, children: map[string]uint64{"big": 2}},
		2: {mode: 0o644, data: strings.Repeat("x", 10)},
	}}
	f := New(&hugeVolume{v})
	if _, err := f.ReadFile("big"); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("want ErrTooLarge, got %v", err)
	}
	// Open still streams it.
	fh, err := f.Open("big")
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	if n, _ := fh.Read(b); n != 4 || !bytes.Equal(b, []byte("xxxx")) {
		t.Fatalf("read %q", b[:n])
	}
}

// hugeVolume claims every file is larger than MaxReadFile.
type hugeVolume struct{ *memVolume }

func (h *hugeVolume) Lookup(dir Node, name string) (Node, error) {
	n, err := h.memVolume.Lookup(dir, name)
	if err == nil && n.Mode.IsRegular() {
		n.Size = MaxReadFile + 1
	}
	return n, err
}
