package ext4

import (
	"container/list"
	"strings"
	"sync"

	"github.com/uimport/uimport/filesystem"
)

// dirIndex is one directory's names, so a path walk that passes the same
// directory again (symlink chains, /usr/lib/modules/...) looks a name up
// without scanning the directory again. A hostile directory can be large
// and can map many logical blocks onto the same physical ones; scanning
// it once bounds that cost.
type dirIndex struct {
	ino      uint64
	byName   map[string]uint64
	casefold bool
	bytes    int
	err      error // what went wrong while reading it, if anything
}

// The index cache is bounded in names held, and in their bytes.
const (
	dirCacheNames = 1 << 17
	dirCacheBytes = 8 << 20
)

type dirCache struct {
	mu    sync.Mutex
	lru   *list.List // of *dirIndex, most recent first
	byIno map[uint64]*list.Element
	names int
	bytes int
}

func newDirCache() *dirCache {
	return &dirCache{lru: list.New(), byIno: make(map[uint64]*list.Element)}
}

func (c *dirCache) get(ino uint64) *dirIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byIno[ino]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*dirIndex)
	}
	return nil
}

func (c *dirCache) put(d *dirIndex) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byIno[d.ino]; ok || len(d.byName) > dirCacheNames || d.bytes > dirCacheBytes {
		return
	}
	c.byIno[d.ino] = c.lru.PushFront(d)
	c.names += len(d.byName)
	c.bytes += d.bytes
	for c.names > dirCacheNames || c.bytes > dirCacheBytes {
		last := c.lru.Back()
		old := last.Value.(*dirIndex)
		c.lru.Remove(last)
		delete(c.byIno, old.ino)
		c.names -= len(old.byName)
		c.bytes -= old.bytes
	}
}

// index returns directory in's names, from the cache or by reading it.
func (v *Volume) index(in *Inode) (*dirIndex, error) {
	if d := v.dirs.get(in.Ino); d != nil {
		return d, nil
	}
	d := &dirIndex{ino: in.Ino, byName: make(map[string]uint64), casefold: in.Flags&flagCasefold != 0}
	d.err = v.eachEntry(in, func(name []byte, ino uint64, _ uint8) bool {
		if len(d.byName) == filesystem.MaxDirEntries {
			return false
		}
		if _, dup := d.byName[string(name)]; !dup {
			d.byName[string(name)] = ino
			d.bytes += len(name) + 16
		}
		return true
	})
	if d.err == ErrEncrypted {
		return nil, d.err
	}
	if len(d.byName) == filesystem.MaxDirEntries && d.err == nil {
		d.err = filesystem.ErrTooMany
	}
	v.dirs.put(d)
	return d, nil
}

// find looks name up; in a casefolded directory a name not found as spelt
// is matched ignoring case (Unicode simple folding, close to the kernel's
// utf8 casefold).
func (d *dirIndex) find(name string) (uint64, bool) {
	if ino, ok := d.byName[name]; ok {
		return ino, true
	}
	if !d.casefold {
		return 0, false
	}
	// Several names may fold alike; take the smallest, so the answer does
	// not depend on map order.
	best, found := "", uint64(0)
	for n, ino := range d.byName {
		if strings.EqualFold(n, name) && (found == 0 || n < best) {
			best, found = n, ino
		}
	}
	return found, found != 0
}
