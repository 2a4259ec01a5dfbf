package xfs

import (
	"container/list"
	"errors"
	"fmt"
	"io"
	"sync"
)

// cacheBytes bounds the metadata cache (inode clusters, btree, directory
// and symlink blocks). Data reads of regular files bypass it.
const cacheBytes = 8 << 20

// blockCache is a least-recently-used cache of file system blocks, keyed
// by their linear block number on the device. Safe for concurrent use;
// cached slices are shared and must not be modified.
type blockCache struct {
	mu    sync.Mutex
	max   int
	items map[uint64]*list.Element
	order list.List // front: most recently used
}

type cachedBlock struct {
	blk  uint64
	data []byte
}

func newBlockCache(blockSize int) *blockCache {
	return &blockCache{max: max(cacheBytes/blockSize, 16), items: map[uint64]*list.Element{}}
}

func (c *blockCache) get(blk uint64) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[blk]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedBlock).data
	}
	return nil
}

func (c *blockCache) put(blk uint64, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[blk]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.items[blk] = c.order.PushFront(&cachedBlock{blk: blk, data: data})
	for len(c.items) > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cachedBlock).blk)
	}
}

// device is the reader under the file system with its size, so every
// read is checked against the end.
type device struct {
	r    io.ReaderAt
	size int64
}

var errShortRead = errors.New("read past the end of the device")

func (d device) readAt(p []byte, off int64) error {
	if off < 0 || off > d.size || int64(len(p)) > d.size-off {
		return corruptf("%d bytes at offset %d lie past the end of the %d-byte device", len(p), off, d.size)
	}
	n, err := d.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = errShortRead
	}
	return fmt.Errorf("xfs: reading %d bytes at %d: %w", len(p), off, err)
}

// blocks returns count linear blocks from blk on as one slice, reading the
// runs missing from the cache with one ReadAt each.
func (v *Volume) blocks(blk uint64, count int) ([]byte, error) {
	bs := int(v.sb.blockSize)
	if count <= 0 || count > maxMetaBlocks(bs) {
		return nil, corruptf("metadata read of %d blocks", count)
	}
	if blk >= v.sb.dblocks || uint64(count) > v.sb.dblocks-blk {
		return nil, corruptf("block %d (+%d) beyond the file system's %d blocks", blk, count, v.sb.dblocks)
	}
	if count == 1 {
		if b := v.cache.get(blk); b != nil {
			return b, nil
		}
	}
	out := make([]byte, count*bs)
	for i := 0; i < count; {
		if b := v.cache.get(blk + uint64(i)); b != nil {
			copy(out[i*bs:], b)
			i++
			continue
		}
		j := i + 1
		for j < count && v.cache.get(blk+uint64(j)) == nil {
			j++
		}
		if err := v.dev.readAt(out[i*bs:j*bs], int64(blk+uint64(i))<<v.sb.blockLog); err != nil {
			return nil, err
		}
		for k := i; k < j; k++ {
			v.cache.put(blk+uint64(k), out[k*bs:(k+1)*bs:(k+1)*bs])
		}
		i = j
	}
	return out, nil
}

// maxMetaBlocks bounds one metadata read: a directory block is at most
// 64 KiB.
func maxMetaBlocks(blockSize int) int { return max(65536/blockSize, 1) }
