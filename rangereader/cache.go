package rangereader

import (
	"container/list"
	"strconv"
	"strings"
)

// lru holds at most cap blocks, dropping the least recently used.
type lru struct {
	cap   int
	order *list.List // front: most recent; values are int64 block indexes
	items map[int64]*entry
}

type entry struct {
	data []byte
	el   *list.Element
}

func newLRU(capacity int) *lru {
	return &lru{cap: capacity, order: list.New(), items: map[int64]*entry{}}
}

func (c *lru) get(b int64) ([]byte, bool) {
	e, ok := c.items[b]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e.el)
	return e.data, true
}

func (c *lru) peek(b int64) ([]byte, bool) {
	e, ok := c.items[b]
	if !ok {
		return nil, false
	}
	return e.data, true
}

func (c *lru) put(b int64, data []byte) {
	if e, ok := c.items[b]; ok {
		e.data = data
		c.order.MoveToFront(e.el)
		return
	}
	c.items[b] = &entry{data: data, el: c.order.PushFront(b)}
	for len(c.items) > c.cap {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(int64))
	}
}

// ParseContentRange parses a Content-Range value: "bytes 0-65535/1234567"
// (total -1 for "/*") and the unsatisfied form "bytes */1234567" (start and
// end -1).
func ParseContentRange(v string) (start, end, total int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	span, size, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false
	}
	total = -1
	if size != "*" {
		if total, ok = nonNegative(size); !ok {
			return 0, 0, 0, false
		}
	}
	if span == "*" {
		return -1, -1, total, total >= 0
	}
	a, b, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, 0, false
	}
	if start, ok = nonNegative(a); !ok {
		return 0, 0, 0, false
	}
	if end, ok = nonNegative(b); !ok || end < start || (total >= 0 && end >= total) {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

func nonNegative(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}
