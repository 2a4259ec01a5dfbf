// Package partition reads a disk's partition table (MBR with extended and
// logical partitions, or GPT with 512- or 4096-byte sectors) the way Linux
// numbers it. The disk is untrusted: every entry is checked against the disk
// size, and what is wrong is reported in Table.Notes instead of failing.
package partition

import (
	"errors"
	"fmt"
	"io"
	"slices"
)

// Table kinds.
const (
	KindMBR  = "mbr"
	KindGPT  = "gpt"
	KindNone = "none" // no table: the caller treats the whole disk as one volume
)

// Table is a disk's partition table.
type Table struct {
	Kind          string
	SectorSize    int64  // 512, or 4096 for a GPT written for 4Kn disks
	DiskSignature uint32 // MBR only; zero is valid
	DiskGUID      string // GPT only, upper-case canonical form
	Partitions    []Partition
	// Notes say what is odd or wrong, e.g. "hybrid MBR" or
	// "partition 3 ends past the end of the disk".
	Notes []string
}

// Partition is one used slot, in bytes from the start of the disk.
type Partition struct {
	Number   int   // as Linux numbers it: MBR 1-4 and logicals from 5; GPT entry index+1
	Start    int64 // bytes
	Size     int64 // bytes, clipped to the disk
	Type     string
	TypeName string // "linux", "linux-lvm", "swap", "efi", ... or "unknown"
	Name     string // GPT label
	Bootable bool   // MBR active flag, or GPT legacy-BIOS-bootable attribute
	Logical  bool   // an MBR logical partition inside the extended one
}

// End is the first byte after the partition.
func (p Partition) End() int64 { return p.Start + p.Size }

// Limits on hostile tables.
const (
	// MaxGPTEntriesBytes bounds the GPT entry array that is read (the
	// usual array is 16 KiB).
	MaxGPTEntriesBytes = 1 << 20
	// MaxLogical bounds the logical partitions followed in an EBR chain.
	MaxLogical = 256
)

// Read reads the partition table of a disk of size bytes.
// An error means r could not be read; a damaged table is a Table with Notes.
func Read(r io.ReaderAt, size int64) (*Table, error) {
	if size < 512 {
		return &Table{Kind: KindNone, SectorSize: 512}, nil
	}
	d := &disk{r: r, size: size}
	mbrSector, err := d.read(0, 512)
	if err != nil {
		return nil, err
	}
	t := &Table{SectorSize: 512}
	mbr, mbrOK := parseMBR(mbrSector)
	if mbrOK && mbr.protective() {
		if err := readGPT(d, t, &mbr); err != nil {
			return nil, err
		}
		if t.Kind == KindGPT {
			finish(t, size)
			return t, nil
		}
		// Neither GPT header is usable: a hybrid MBR's other entries are
		// still worth something; a plain protective MBR is all there is.
		if !mbr.hybrid() {
			t.Kind = KindGPT
			return t, nil
		}
		t.Notes = append(t.Notes, "using the hybrid MBR's partitions instead")
	} else if !mbrOK {
		// Some GPT disks lack a protective MBR (or have a wiped one).
		if sig, err := d.read(512, 8); err == nil && string(sig) == gptSignature {
			return readGPTOnly(d, t, size)
		}
		if size >= 4096+8 {
			if sig, err := d.read(4096, 8); err == nil && string(sig) == gptSignature {
				return readGPTOnly(d, t, size)
			}
		}
		return &Table{Kind: KindNone, SectorSize: 512}, nil
	}
	if err := readMBR(d, t, mbr); err != nil {
		return nil, err
	}
	finish(t, size)
	return t, nil
}

func readGPTOnly(d *disk, t *Table, size int64) (*Table, error) {
	if err := readGPT(d, t, nil); err != nil {
		return nil, err
	}
	if t.Kind != KindGPT {
		return &Table{Kind: KindNone, SectorSize: 512, Notes: t.Notes}, nil
	}
	t.Notes = append([]string{"GPT without a protective MBR"}, t.Notes...)
	finish(t, size)
	return t, nil
}

// disk reads whole byte ranges that are known to be inside the disk.
type disk struct {
	r    io.ReaderAt
	size int64
}

var errOutside = errors.New("outside the disk")

func (d *disk) read(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > d.size || n > d.size-off {
		return nil, errOutside
	}
	buf := make([]byte, n)
	got, err := d.r.ReadAt(buf, off)
	if got == len(buf) {
		return buf, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return nil, fmt.Errorf("partition: read %d bytes at %d: %w", n, off, err)
}

// addClipped appends p after checking it against the disk: a partition
// that starts past the end is dropped, one that ends past it is clipped.
// Both are noted.
func addClipped(t *Table, p Partition, size int64) {
	if p.Start >= size {
		t.Notes = append(t.Notes, fmt.Sprintf("partition %d starts past the end of the disk; ignored", p.Number))
		return
	}
	if p.Size > size-p.Start {
		t.Notes = append(t.Notes, fmt.Sprintf("partition %d ends past the end of the disk", p.Number))
		p.Size = size - p.Start
	}
	t.Partitions = append(t.Partitions, p)
}

// finish sorts by number and notes overlapping partitions (an extended
// partition is expected to contain its logicals).
func finish(t *Table, size int64) {
	slices.SortFunc(t.Partitions, func(a, b Partition) int { return a.Number - b.Number })
	byStart := make([]Partition, 0, len(t.Partitions))
	for _, p := range t.Partitions {
		if p.TypeName != "extended" && p.Size > 0 {
			byStart = append(byStart, p)
		}
	}
	slices.SortFunc(byStart, func(a, b Partition) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return a.Number - b.Number
	})
	// Compared with the partition reaching farthest so far, so a small one
	// inside a large one is caught too.
	overlaps := 0
	var farthest Partition
	for i, cur := range byStart {
		if i > 0 && cur.Start < farthest.End() {
			overlaps++
			if overlaps <= 8 {
				t.Notes = append(t.Notes, fmt.Sprintf("partitions %d and %d overlap", farthest.Number, cur.Number))
			}
		}
		if i == 0 || cur.End() > farthest.End() {
			farthest = cur
		}
	}
	if overlaps > 8 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d more overlapping partitions", overlaps-8))
	}
}
