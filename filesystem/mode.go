package filesystem

import "io/fs"

// UnixMode turns an on-disk POSIX mode (st_mode: type in the top four
// bits, then setuid, setgid, sticky and permissions), as ext2/3/4 and XFS
// store it, into an fs.FileMode. An unknown type is fs.ModeIrregular.
func UnixMode(mode uint16) fs.FileMode {
	m := fs.FileMode(mode & 0o777)
	if mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	switch mode & 0o170000 {
	case 0o100000: // regular
	case 0o040000:
		m |= fs.ModeDir
	case 0o120000:
		m |= fs.ModeSymlink
	case 0o010000:
		m |= fs.ModeNamedPipe
	case 0o020000:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case 0o060000:
		m |= fs.ModeDevice
	case 0o140000:
		m |= fs.ModeSocket
	default:
		m |= fs.ModeIrregular
	}
	return m
}

// DirentType turns a directory entry's file-type byte (the same codes in
// ext2/3/4 and XFS: 1 regular … 7 symlink) into type bits; an unknown or
// absent type is fs.ModeIrregular, so FS reads the inode instead.
func DirentType(t byte) fs.FileMode {
	switch t {
	case 1:
		return 0
	case 2:
		return fs.ModeDir
	case 3:
		return fs.ModeDevice | fs.ModeCharDevice
	case 4:
		return fs.ModeDevice
	case 5:
		return fs.ModeNamedPipe
	case 6:
		return fs.ModeSocket
	case 7:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}
