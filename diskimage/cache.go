package diskimage

import (
	"container/list"
	"errors"
	"io"
	"sync"
)

// tableBlock is the most metadata read at once: a whole L2 table, grain
// table or BAT when it is small, else a 64 KiB block of it. Larger blocks
// would make a remote read slow for one lookup; smaller ones, many reads.
const tableBlock = 64 << 10

// blockKey names a range of the file.
type blockKey struct {
	off int64
	n   int
}

// lru is a mutex-guarded least-recently-used cache bounded both by count
// and by total bytes, so its memory does not grow with the image.
type lru struct {
	mu       sync.Mutex
	maxItems int
	maxBytes int
	bytes    int
	order    *list.List // front: most recent; values are *lruItem
	items    map[blockKey]*list.Element
}

type lruItem struct {
	key  blockKey
	data []byte
}

func newLRU(maxItems, maxBytes int) *lru {
	return &lru{maxItems: maxItems, maxBytes: maxBytes, order: list.New(), items: map[blockKey]*list.Element{}}
}

func (c *lru) get(k blockKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruItem).data, true
}

// put stores data, which must not be changed afterwards: readers share it.
func (c *lru) put(k blockKey, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&lruItem{k, data})
	c.bytes += len(data)
	for c.order.Len() > 1 && (c.order.Len() > c.maxItems || c.bytes > c.maxBytes) {
		old := c.order.Remove(c.order.Back()).(*lruItem)
		delete(c.items, old.key)
		c.bytes -= len(old.data)
	}
}

// file is the container file: a ReaderAt of known size whose metadata
// blocks are cached.
type file struct {
	r      io.ReaderAt
	size   int64
	format string // for error messages
	head   []byte // the file's first bytes, already read by Open
	meta   *lru
}

func newFile(r io.ReaderAt, size int64, format string, head []byte) *file {
	return &file{r: r, size: size, format: format, head: head, meta: newLRU(64, 4<<20)}
}

// within reports whether [off, off+n) lies inside the file.
func (f *file) within(off, n int64) bool {
	return off >= 0 && n >= 0 && off <= f.size && n <= f.size-off
}

// readFull reads exactly len(p) bytes at off, which the caller has
// checked lie within the file. A short read is a file that changed size.
func (f *file) readFull(p []byte, off int64) error {
	n, err := f.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// block returns the file's bytes [off, off+n) through the metadata cache;
// what names them in an error ("L2 table", "grain table").
func (f *file) block(what string, off int64, n int) ([]byte, error) {
	if !f.within(off, int64(n)) {
		return nil, corrupt(f.format, "%s at 0x%x (%d bytes) lies past the end of the file (0x%x bytes)", what, off, n, f.size)
	}
	if off+int64(n) <= int64(len(f.head)) {
		return f.head[off : off+int64(n)], nil // tables near the start cost no read
	}
	k := blockKey{off, n}
	if b, ok := f.meta.get(k); ok {
		return b, nil
	}
	b := make([]byte, n)
	if err := f.readFull(b, off); err != nil {
		return nil, err
	}
	f.meta.put(k, b)
	return b, nil
}

// entry returns the width-byte entry i of a table of tableLen bytes at
// tableOff, reading the table block that holds it.
func (f *file) entry(what string, tableOff, tableLen int64, i int64, width int) ([]byte, error) {
	pos := i * int64(width)
	if i < 0 || pos+int64(width) > tableLen {
		return nil, corrupt(f.format, "%s entry %d is outside the table (%d bytes)", what, i, tableLen)
	}
	start := pos / tableBlock * tableBlock
	b, err := f.block(what, tableOff+start, int(min(tableBlock, tableLen-start)))
	if err != nil {
		return nil, err
	}
	return b[pos-start : pos-start+int64(width)], nil
}

// readPadded reads data that must start inside the file; a part that
// runs past its end reads as zeros, as QEMU reads it. Data that starts
// past the end is damage: the image is truncated.
func (f *file) readPadded(p []byte, off int64, what string) error {
	if len(p) == 0 {
		return nil
	}
	if off < 0 || off >= f.size {
		return corrupt(f.format, "a %s at 0x%x lies past the end of the file (0x%x bytes): the image is truncated", what, off, f.size)
	}
	n := min(int64(len(p)), f.size-off)
	clear(p[n:])
	return f.readFull(p[:n], off)
}
