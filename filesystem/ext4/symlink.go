package ext4

import (
	"errors"
	"io"

	"github.com/uimport/uimport/filesystem"
)

// readLink returns a symlink's target. A fast symlink keeps it in i_block
// (targets under 60 bytes); a slow one in a data block, block-mapped,
// extent-mapped or inline.
func (v *Volume) readLink(in *Inode) (string, error) {
	if !in.isSymlink() {
		return "", corrupt("inode %d is not a symbolic link", in.Ino)
	}
	if in.Flags&flagEncrypt != 0 {
		return "", ErrEncrypted
	}
	if in.Size == 0 || in.Size > filesystem.MaxLinkLen {
		return "", corrupt("symbolic link %d with a %d-byte target", in.Ino, in.Size)
	}
	if in.Flags&flagInlineData != 0 {
		data, err := v.inlineData(in)
		return string(data), err
	}
	if v.isFastSymlink(in) {
		return string(in.iBlock()[:in.Size]), nil
	}
	buf := make([]byte, in.Size)
	n, err := (&dataReader{v: v, in: in}).ReadAt(buf, 0)
	if n == len(buf) {
		return string(buf), nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return "", err
}

// isFastSymlink follows the kernel (ext4_inode_is_fast_symlink): a link
// whose only blocks, if any, are its extended attribute block.
func (v *Volume) isFastSymlink(in *Inode) bool {
	if in.Size >= inlineBlockSize {
		return false
	}
	xattrBlocks := uint64(0)
	if in.fileACL != 0 {
		xattrBlocks = uint64(v.sb.blockSize) * uint64(v.sb.clusterRatio) / 512
	}
	return in.blocks512 == xattrBlocks || in.blocks512 == 0
}
