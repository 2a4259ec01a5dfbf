// Package xfs reads XFS file systems, version 5 (CRC-enabled) and version 4
// (CentOS 7 and older), without mounting them. It implements
// filesystem.Volume; OpenFS gives the io/fs view with symlinks resolved
// inside the guest.
//
// Everything on disk is hostile: block and inode numbers are checked
// against the allocation groups and the device size, btree depth and record
// counts are bounded, and metadata blocks go through a bounded cache.
//
// Layout: superblock.go (geometry and features), inode.go (inode cores),
// bmap.go (extent maps and file reads), btree.go (block map btrees),
// dir_short.go, dir_block.go and dir_index.go (directories), symlink.go,
// log.go (clean or dirty log), cache.go (the metadata block cache) and
// volume.go (filesystem.Volume).
package xfs
