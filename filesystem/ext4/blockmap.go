package ext4

import "encoding/binary"

// The block map (ext2, ext3): i_block holds 12 direct block numbers, then
// one single, one double and one triple indirect block. A zero entry is a
// hole, at any level. The depth is fixed at three, so the walk is bounded.
const directBlocks = 12

// mapIndirect maps lblk through the block map in iblock.
func (v *Volume) mapIndirect(iblock []byte, lblk uint64) (run, error) {
	le := binary.LittleEndian
	perBlock := uint64(v.sb.blockSize / 4)
	if lblk < directBlocks {
		return v.runOfPointers(func(i uint64) uint64 { return uint64(le.Uint32(iblock[4*i:])) }, lblk, directBlocks)
	}
	// Find which tree holds lblk and its index within that tree.
	rel := lblk - directBlocks
	span := perBlock // blocks one tree of this level covers
	level := 1
	for rel >= span {
		rel -= span
		level++
		if level > 3 {
			return run{kind: runHole, length: endOfMap - lblk}, nil
		}
		span *= perBlock
	}
	ptr := uint64(le.Uint32(iblock[4*(directBlocks+level-1):]))
	for {
		if ptr == 0 {
			return run{kind: runHole, length: span - rel}, nil
		}
		b, err := v.cache.block(ptr)
		if err != nil {
			return run{}, err
		}
		span /= perBlock // what each entry of this block covers
		idx := rel / span
		if level == 1 {
			return v.runOfPointers(func(i uint64) uint64 { return uint64(le.Uint32(b[4*i:])) }, idx, perBlock)
		}
		ptr = uint64(le.Uint32(b[4*idx:]))
		rel %= span
		level--
	}
}

// runOfPointers builds the run starting at pointer i of n: consecutive
// physical blocks, or consecutive zero (hole) entries.
func (v *Volume) runOfPointers(ptr func(uint64) uint64, i, n uint64) (run, error) {
	first := ptr(i)
	length := uint64(1)
	for i+length < n {
		next := ptr(i + length)
		if (first == 0) != (next == 0) || (first != 0 && next != first+length) {
			break
		}
		length++
	}
	if first == 0 {
		return run{kind: runHole, length: length}, nil
	}
	if first >= v.sb.blocksCount || length > v.sb.blocksCount-first {
		return run{}, corrupt("data block %d (+%d) beyond the file system", first, length)
	}
	return run{kind: runData, phys: first, length: length}, nil
}
