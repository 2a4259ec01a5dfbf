package ext4

import (
	"errors"
	"io"
)

// maxReadRun bounds one ReadAt on the image, so a large read of a file
// becomes a few large reads rather than one unbounded one.
const maxReadRun = 8 << 20

// dataReader reads a block-mapped or extent-mapped file's bytes. Holes and
// unwritten extents read as zeros; physically contiguous runs, even across
// extents, are read with one ReadAt.
type dataReader struct {
	v  *Volume
	in *Inode
}

func (d *dataReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("ext4: negative offset")
	}
	size := int64(d.in.Size)
	if off >= size {
		return 0, io.EOF
	}
	want := int(min(int64(len(p)), size-off))
	bs := int64(d.v.sb.blockSize)
	n := 0
	for n < want {
		pos := off + int64(n)
		lblk, within := uint64(pos/bs), pos%bs
		r, err := d.v.mapBlock(d.in, lblk)
		if err != nil {
			return n, err
		}
		chunk := d.chunk(r, within, want-n)
		if r.kind != runData {
			clear(p[n : n+chunk])
			n += chunk
			continue
		}
		// Extend over following runs that continue on disk.
		for n+chunk < want && chunk < maxReadRun {
			next, err := d.v.mapBlock(d.in, lblk+r.length)
			if err != nil || next.kind != runData || next.phys != r.phys+r.length {
				break
			}
			r.length += next.length
			chunk = d.chunk(r, within, want-n)
		}
		chunk = min(chunk, maxReadRun)
		blocks := (uint64(within) + uint64(chunk) + uint64(bs) - 1) / uint64(bs)
		start, err := d.v.cache.checkRange(r.phys, blocks)
		if err != nil {
			return n, err
		}
		if err := d.v.cache.readAt(p[n:n+chunk], start+within); err != nil {
			return n, err
		}
		n += chunk
	}
	if want < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// chunk is how many bytes of r, from within its first block, the read
// still wants.
func (d *dataReader) chunk(r run, within int64, left int) int {
	bs := int64(d.v.sb.blockSize)
	// r.length can be 2^32 blocks (a trailing hole): cap before multiplying.
	blocks := min(r.length, uint64(left)/uint64(bs)+2)
	return int(min(int64(blocks)*bs-within, int64(left)))
}
