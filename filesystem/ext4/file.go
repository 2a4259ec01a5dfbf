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
		if err := d.applyJournal(p[n:n+chunk], r.phys, within); err != nil {
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

// applyJournal patches part (read from block phys, within bytes in) with
// the journal's newer copies of its blocks, if any.
func (d *dataReader) applyJournal(part []byte, phys uint64, within int64) error {
	c := d.v.cache
	if len(c.journal) == 0 {
		return nil
	}
	bs := c.blockSize
	block := make([]byte, bs)
	for i := int64(0); i*bs < within+int64(len(part)); i++ {
		jc, ok := c.journal[phys+uint64(i)]
		if !ok {
			continue
		}
		if err := c.readCopy(block, jc); err != nil {
			return err
		}
		// This block's bytes within part: [i*bs-within, (i+1)*bs-within).
		from := max(i*bs-within, 0)
		to := min((i+1)*bs-within, int64(len(part)))
		copy(part[from:to], block[from+within-i*bs:])
	}
	return nil
}
