package diskimage

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/uimport/uimport/imageformat"
)

// Info describes the image, whatever Open's error.
type Info struct {
	// Format is the ImportCustomImage spelling: "qcow2", "VMDK", "VHD" or
	// "RAW" (imageformat.QCOW2 ...).
	Format string
	// Subformat says which kind: "qcow2 v3", "monolithicSparse",
	// "streamOptimized", "vhd dynamic", "vhd fixed", "raw".
	Subformat   string
	VirtualSize int64
	// BackingFile is a qcow2 backing file or a VMDK/VHD parent's name
	// (from the image, made safe to print); non-empty means the image
	// cannot be imported alone. "(unnamed)" when the image names none.
	BackingFile string
	DataFile    string // a qcow2 external data file
	Encrypted   bool   // qcow2 AES or LUKS encryption
	// Compressed: compressed clusters or grains. Exact for VMDK; for
	// qcow2, those seen in the first L2 table or in reads so far.
	Compressed bool
	// Allocated is a best-effort count of guest bytes the image holds:
	// exact for RAW, fixed and dynamic VHD; for qcow2 and VMDK the file
	// size, at most VirtualSize (less than the guest data if compressed).
	Allocated int64
}

// Disk is the guest disk inside an image.
type Disk struct {
	info Info
	read func(p []byte, off int64) error // fills p from [off, off+len(p)) within the disk
	err  error                           // set when the guest data is elsewhere
	// compressedSeen turns true when a read meets a compressed cluster
	// (qcow2 only knows this as it reads); nil for other formats.
	compressedSeen *atomic.Bool
}

// Open detects the container in r (size bytes long) and returns the guest
// disk. See the package documentation for what it returns when.
func Open(r io.ReaderAt, size int64) (*Disk, error) {
	if size <= 0 {
		return nil, &UnsupportedError{Format: "empty", Reason: "the image is empty (0 bytes)", Fix: "check that the file or upload is complete"}
	}
	head := make([]byte, min(size, imageformat.HeadSize))
	f := &file{r: r, size: size}
	if err := f.readFull(head, 0); err != nil {
		return nil, fmt.Errorf("reading the image header: %w", err)
	}
	tail := make([]byte, min(size, imageformat.TailSize))
	if err := f.readFull(tail, size-int64(len(tail))); err != nil {
		return nil, fmt.Errorf("reading the image's last bytes: %w", err)
	}
	if u := otherContainer(head); u != nil {
		return nil, u
	}
	sniffed := imageformat.Sniff(head, tail, size)
	switch sniffed.Format {
	case imageformat.QCOW2:
		return openQcow2(r, size, head)
	case imageformat.VMDK:
		return openVMDK(r, size, head)
	case imageformat.VHD:
		return openVHD(r, size, head, tail)
	case imageformat.RAW:
		return &Disk{
			info: Info{Format: imageformat.RAW, Subformat: "raw", VirtualSize: size, Allocated: size},
			read: func(p []byte, off int64) error { return f.readFull(p, off) },
		}, nil
	}
	return nil, &UnsupportedError{Format: sniffed.Format, Reason: sniffed.Reason, Fix: sniffed.Fix}
}

// otherContainer catches image formats imageformat takes for RAW because
// the import never sees them, but whose bytes are not the guest disk.
func otherContainer(head []byte) *UnsupportedError {
	for _, o := range []struct{ magic, name string }{
		{"QED\x00", "QED"},
		{"WithoutFreeSpace", "Parallels"},
		{"WithouFreSpacExt", "Parallels"},
		{"LUKS\xba\xbe", "LUKS"},
		{"Bochs Virtual HD Image", "Bochs"},
		{"COWD", "VMDK"}, // ESX vmfsSparse (version 1 sparse extent)
	} {
		if len(head) >= len(o.magic) && string(head[:len(o.magic)]) == o.magic {
			return &UnsupportedError{Format: o.name, Reason: o.name + " images are not accepted (only RAW, VHD, VMDK and qcow2 are)",
				Fix: "convert it: qemu-img convert -O qcow2 disk.img disk.qcow2"}
		}
	}
	return nil
}

// ReadAt reads guest disk bytes. It returns io.EOF at or past Size and is
// safe for concurrent use.
func (d *Disk) ReadAt(p []byte, off int64) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if off < 0 {
		return 0, errors.New("diskimage: negative offset")
	}
	size := d.info.VirtualSize
	if off >= size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), size-off))
	if err := d.read(p[:n], off); err != nil {
		return 0, err
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Size is the virtual disk size in bytes.
func (d *Disk) Size() int64 { return d.info.VirtualSize }

// Info describes the image.
func (d *Disk) Info() Info {
	info := d.info
	if d.compressedSeen != nil && d.compressedSeen.Load() {
		info.Compressed = true
	}
	return info
}
