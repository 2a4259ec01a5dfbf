package xfs

import (
	"container/list"
	"io/fs"
	"sync"

	"github.com/uimport/uimport/filesystem"
)

// dirIndexBytes bounds the memory of cached directory indexes (an
// estimate: name bytes plus map overhead per entry).
const dirIndexBytes = 32 << 20

// A dirIndex maps the names of a directory's first MaxDirEntries entries
// to inode numbers. Without it, FS listing a directory without file types
// (v4) would look each entry up with a scan of the whole directory.
type dirIndex struct {
	ino      uint64
	names    map[string]uint64
	complete bool // the whole directory is in names
	cost     int
}

type dirIndexCache struct {
	mu    sync.Mutex
	items map[uint64]*list.Element
	order list.List
	cost  int
}

func (c *dirIndexCache) get(ino uint64) *dirIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[ino]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*dirIndex)
	}
	return nil
}

func (c *dirIndexCache) put(d *dirIndex) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = map[uint64]*list.Element{}
	}
	if _, ok := c.items[d.ino]; ok || d.cost > dirIndexBytes {
		return
	}
	c.items[d.ino] = c.order.PushFront(d)
	c.cost += d.cost
	for c.cost > dirIndexBytes {
		last := c.order.Back()
		old := last.Value.(*dirIndex)
		c.order.Remove(last)
		delete(c.items, old.ino)
		c.cost -= old.cost
	}
}

// index returns directory in's name index, building it on first use.
func (v *Volume) index(in *Inode) (*dirIndex, error) {
	if d := v.dirs.get(in.Ino); d != nil {
		return d, nil
	}
	d := &dirIndex{ino: in.Ino, names: map[string]uint64{}, complete: true}
	err := v.entries(in, func(e filesystem.Entry) bool {
		if len(d.names) >= filesystem.MaxDirEntries {
			d.complete = false
			return false
		}
		if _, dup := d.names[e.Name]; !dup {
			d.names[e.Name] = e.Ino
			d.cost += len(e.Name) + 64
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	v.dirs.put(d)
	return d, nil
}

// lookupIno finds name in directory in.
func (v *Volume) lookupIno(in *Inode, name string) (uint64, error) {
	d, err := v.index(in)
	if err != nil {
		return 0, err
	}
	if ino, ok := d.names[name]; ok {
		return ino, nil
	}
	if d.complete {
		return 0, fs.ErrNotExist
	}
	// Past the indexed entries of a huge directory: scan.
	var ino uint64
	found := false
	err = v.entries(in, func(e filesystem.Entry) bool {
		if e.Name == name {
			ino, found = e.Ino, true
			return false
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, fs.ErrNotExist
	}
	return ino, nil
}
