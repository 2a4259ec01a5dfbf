package ext4

import "encoding/binary"

// The extent tree (ext4): a 12-byte header then 12-byte entries, rooted in
// i_block (4 entries) and continued in whole blocks. Index entries point
// at the next level down; leaf entries map logical to physical blocks.
const (
	extentMagic        = 0xF30A
	extentEntrySize    = 12
	uninitExtentLength = 32768 // ee_len above this marks an unwritten extent
)

type extentHeader struct {
	entries, depth int
}

// parseExtentHeader checks node's header: entries bounded by eh_max, and
// eh_max by what fits in the node.
func parseExtentHeader(node []byte) (extentHeader, error) {
	le := binary.LittleEndian
	if len(node) < extentEntrySize || le.Uint16(node) != extentMagic {
		return extentHeader{}, corrupt("extent node without magic")
	}
	entries, maxEntries, depth := int(le.Uint16(node[2:])), int(le.Uint16(node[4:])), int(le.Uint16(node[6:]))
	if maxEntries > (len(node)-extentEntrySize)/extentEntrySize || entries > maxEntries {
		return extentHeader{}, corrupt("extent node with %d of %d entries", entries, maxEntries)
	}
	if depth > maxExtentDepth {
		return extentHeader{}, corrupt("extent tree depth %d", depth)
	}
	return extentHeader{entries: entries, depth: depth}, nil
}

// mapExtent walks the extent tree rooted in iblock down to lblk.
func (v *Volume) mapExtent(iblock []byte, lblk uint64) (run, error) {
	le := binary.LittleEndian
	node := iblock
	// limit is the first logical block past the subtree being searched, so
	// a hole ends where the next subtree begins.
	limit := endOfMap
	wantDepth := -1
	for {
		h, err := parseExtentHeader(node)
		if err != nil {
			return run{}, err
		}
		if wantDepth >= 0 && h.depth != wantDepth {
			return run{}, corrupt("extent node at depth %d, expected %d", h.depth, wantDepth)
		}
		entry := func(i int) []byte { return node[extentEntrySize*(i+1) : extentEntrySize*(i+2)] }
		if h.depth == 0 {
			return v.findExtent(entry, h.entries, lblk, limit)
		}
		// The last index entry starting at or before lblk covers it.
		chosen := -1
		for i := range h.entries {
			start := uint64(le.Uint32(entry(i)))
			if start <= lblk {
				chosen = i
			} else {
				limit = min(limit, start)
				break
			}
		}
		if chosen < 0 {
			return run{kind: runHole, length: limit - lblk}, nil
		}
		e := entry(chosen)
		child := uint64(le.Uint32(e[4:])) | uint64(le.Uint16(e[8:]))<<32
		node, err = v.cache.block(child)
		if err != nil {
			return run{}, err
		}
		wantDepth = h.depth - 1
	}
}

// findExtent finds lblk among a leaf's n extents.
func (v *Volume) findExtent(entry func(int) []byte, n int, lblk, limit uint64) (run, error) {
	le := binary.LittleEndian
	for i := range n {
		e := entry(i)
		start := uint64(le.Uint32(e))
		length := uint64(le.Uint16(e[4:]))
		kind := runData
		if length > uninitExtentLength {
			length -= uninitExtentLength
			kind = runUnwritten
		}
		if length == 0 {
			return run{}, corrupt("empty extent at block %d", start)
		}
		if start > lblk {
			limit = min(limit, start)
			continue
		}
		if lblk >= start+length {
			continue
		}
		phys := uint64(le.Uint32(e[8:])) | uint64(le.Uint16(e[6:]))<<32
		if phys >= v.sb.blocksCount || length > v.sb.blocksCount-phys {
			return run{}, corrupt("extent at block %d (+%d) beyond the file system", phys, length)
		}
		skip := lblk - start
		return run{kind: kind, phys: phys + skip, length: length - skip}, nil
	}
	return run{kind: runHole, length: limit - lblk}, nil
}
