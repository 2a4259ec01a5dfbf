package ext4

import "encoding/binary"

// Inline data (-O inline_data): a small file's or directory's bytes live
// in the inode itself, the first 60 in i_block and the rest in the value
// of the "system.data" extended attribute in the inode's extra space.
const (
	inlineBlockSize = 60
	xattrMagic      = 0xEA020000
	xattrIndexSys   = 7 // the "system." name prefix
	xattrEntrySize  = 16
)

// inlineXattr returns the system.data value kept in in's extra space.
func (v *Volume) inlineXattr(in *Inode) ([]byte, error) {
	le := binary.LittleEndian
	start := 128 + v.extraSize(in)
	raw := in.raw
	if len(raw) <= 128 || start+4 > len(raw) || le.Uint32(raw[start:]) != xattrMagic {
		return nil, nil // no in-inode attributes: everything fits in i_block
	}
	values := start + 4 // value offsets count from the first entry
	for pos := values; pos+4 <= len(raw) && le.Uint32(raw[pos:]) != 0; {
		if pos+xattrEntrySize > len(raw) {
			return nil, corrupt("inode %d: extended attribute past the inode", in.Ino)
		}
		nameLen := int(raw[pos])
		index := raw[pos+1]
		valueOff := int(le.Uint16(raw[pos+2:]))
		valueInode := le.Uint32(raw[pos+4:])
		valueSize := int(le.Uint32(raw[pos+8:]))
		nameEnd := pos + xattrEntrySize + nameLen
		if nameEnd > len(raw) {
			return nil, corrupt("inode %d: extended attribute name past the inode", in.Ino)
		}
		if index == xattrIndexSys && string(raw[pos+xattrEntrySize:nameEnd]) == "data" {
			if valueInode != 0 {
				return nil, corrupt("inode %d: inline data kept in another inode", in.Ino)
			}
			if valueSize > len(raw) || values+valueOff+valueSize > len(raw) {
				return nil, corrupt("inode %d: inline data value past the inode", in.Ino)
			}
			return raw[values+valueOff : values+valueOff+valueSize], nil
		}
		pos = (nameEnd + 3) &^ 3
	}
	return nil, nil
}

// inlineData returns an inline file's bytes, Size of them.
func (v *Volume) inlineData(in *Inode) ([]byte, error) {
	rest, err := v.inlineXattr(in)
	if err != nil {
		return nil, err
	}
	if in.Size > uint64(inlineBlockSize+len(rest)) {
		return nil, corrupt("inode %d: inline size %d over the %d bytes stored", in.Ino, in.Size, inlineBlockSize+len(rest))
	}
	data := append(append(make([]byte, 0, inlineBlockSize+len(rest)), in.iBlock()...), rest...)
	return data[:in.Size], nil
}

// inlineDirRegions returns the two runs of directory entries an inline
// directory holds: i_block after its 4-byte parent inode number, and the
// xattr value.
func (v *Volume) inlineDirRegions(in *Inode) ([][]byte, error) {
	rest, err := v.inlineXattr(in)
	if err != nil {
		return nil, err
	}
	regions := [][]byte{in.iBlock()[4:]}
	if len(rest) > 0 {
		regions = append(regions, rest)
	}
	return regions, nil
}
