package ext4

import (
	"container/list"
	"errors"
	"io"
	"sync"
)

// blockCache keeps recently read metadata blocks (descriptors, inode
// tables, extent and indirect blocks, directories): the reader underneath
// may be a slow HTTP range reader, and path walks read the same blocks
// again and again. It is bounded and safe for concurrent use. Cached
// slices are shared: callers must not modify them.
type blockCache struct {
	r           io.ReaderAt
	imageSize   int64
	blockSize   int64
	blocksCount uint64
	maxBlocks   int
	// journal: blocks whose newest copy is in the journal (replayed).
	journal map[uint64]journalCopy

	mu      sync.Mutex
	lru     *list.List // of *cachedBlock, most recent first
	byBlock map[uint64]*list.Element
}

type cachedBlock struct {
	n    uint64
	data []byte
}

// cacheBytes bounds the memory the cache holds, whatever the block size.
const cacheBytes = 8 << 20

// maxRunBlocks bounds one read-ahead into the cache.
const maxRunBlocks = 64

func newBlockCache(r io.ReaderAt, imageSize int64, sb *superblock) *blockCache {
	return &blockCache{
		r:           r,
		imageSize:   imageSize,
		blockSize:   int64(sb.blockSize),
		blocksCount: sb.blocksCount,
		maxBlocks:   max(cacheBytes/int(sb.blockSize), 16),
		lru:         list.New(),
		byBlock:     make(map[uint64]*list.Element),
	}
}

// checkRange makes sure blocks [n, n+count) exist in the file system and
// in the image, and returns their byte offset.
func (c *blockCache) checkRange(n, count uint64) (int64, error) {
	if count == 0 || n >= c.blocksCount || count > c.blocksCount-n {
		return 0, corrupt("block %d (+%d) beyond the file system's %d blocks", n, count, c.blocksCount)
	}
	off := int64(n) * c.blockSize
	if off > c.imageSize || int64(count) > (c.imageSize-off)/c.blockSize {
		return 0, corrupt("block %d (+%d) beyond the end of the %d-byte image", n, count, c.imageSize)
	}
	return off, nil
}

// readAt fills p from the image at off, treating a short read as an error.
func (c *blockCache) readAt(p []byte, off int64) error {
	n, err := c.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// block returns block n.
func (c *blockCache) block(n uint64) ([]byte, error) {
	if b := c.get(n); b != nil {
		return b, nil
	}
	if err := c.load(n, 1); err != nil {
		return nil, err
	}
	if b := c.get(n); b != nil {
		return b, nil
	}
	// Evicted already by concurrent loads: read it once more, uncached.
	off, _ := c.checkRange(n, 1)
	b := make([]byte, c.blockSize)
	if err := c.readAt(b, off); err != nil {
		return nil, err
	}
	if err := c.applyJournal(b, n); err != nil {
		return nil, err
	}
	return b, nil
}

// load reads blocks [n, n+count) in one ReadAt and caches each of them.
func (c *blockCache) load(n, count uint64) error {
	count = min(count, maxRunBlocks)
	off, err := c.checkRange(n, count)
	if err != nil {
		return err
	}
	buf := make([]byte, int64(count)*c.blockSize)
	if err := c.readAt(buf, off); err != nil {
		return err
	}
	if err := c.applyJournal(buf, n); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range count {
		// A copy per block, so one cached block never pins a whole run.
		c.putLocked(n+i, append([]byte(nil), buf[int64(i)*c.blockSize:int64(i+1)*c.blockSize]...))
	}
	return nil
}

func (c *blockCache) get(n uint64) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byBlock[n]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cachedBlock).data
	}
	return nil
}

func (c *blockCache) putLocked(n uint64, data []byte) {
	if e, ok := c.byBlock[n]; ok {
		c.lru.MoveToFront(e)
		return
	}
	c.byBlock[n] = c.lru.PushFront(&cachedBlock{n: n, data: data})
	for c.lru.Len() > c.maxBlocks {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.byBlock, last.Value.(*cachedBlock).n)
	}
}
