package diskimage

import (
	"errors"
	"fmt"
)

// CorruptError says what is wrong with a damaged image.
type CorruptError struct {
	Format string // the container: "qcow2", "VMDK", "VHD"
	What   string // e.g. "L2 table at 0x50000 lies past the end of the file (0x40000 bytes)"
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the %s image is damaged: %s", e.Format, e.What)
}

func corrupt(format, what string, args ...any) *CorruptError {
	return &CorruptError{Format: format, What: fmt.Sprintf(what, args...)}
}

// UnsupportedError is a file this package does not read as a disk.
type UnsupportedError struct {
	Format string // what the file is: "VHDX", "VDI", "QED", "ISO", "gzip", "VMDK", ...
	Reason string // one line: why it cannot be read
	Fix    string // one line: what to do instead ("" when nothing helps)
}

func (e *UnsupportedError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("%s images cannot be read", e.Format)
	}
	return e.Reason
}

// Sentinels for a well-formed image whose guest data is not all in this
// file. Open returns them (wrapped, with the details) together with a Disk
// whose Info says more.
var (
	// ErrBackingFile: the image holds only changes on top of another image
	// (a qcow2 backing file, a VMDK or VHD parent).
	ErrBackingFile = errors.New("the image has a backing file (parent): it holds only the changes on top of it")
	// ErrDataFile: a qcow2 keeps its guest data in an external data file.
	ErrDataFile = errors.New("the image keeps its data in an external data file")
	// ErrEncrypted: the guest data is encrypted (qcow2 AES or LUKS).
	ErrEncrypted = errors.New("the image is encrypted")
)
