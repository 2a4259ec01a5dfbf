package inspect

import (
	"fmt"
	"io"
	"strings"

	"github.com/uimport/uimport/filesystem"
	"github.com/uimport/uimport/partition"
)

// maxVolumes bounds the partitions and logical volumes looked at.
const maxVolumes = 128

// volume is one partition, logical volume or whole disk that may hold a
// file system.
type volume struct {
	idx     int // its entry in Report.Partitions
	dev     string
	number  int // partition number; 0 for a logical volume or the whole disk
	uuid    string
	label   string
	r       io.ReaderAt
	size    int64
	kind    filesystem.Kind
	lvm     bool     // a logical volume
	aliases []string // its other device names (/dev/vg/lv)
}

// guestDisk is the disk's name the guest sees on a virtio disk.
const guestDisk = "/dev/vda"

// readLayout reads the partition table and the volumes in it, adding the
// partitions to the report.
func (s *session) readLayout(disk io.ReaderAt, size int64) []*volume {
	t, err := partition.Read(disk, size)
	if err != nil {
		s.uninspectable(Warn, "the partition table", err.Error())
		return nil
	}
	s.report.PartitionTable = t.Kind
	s.tableNotes(t.Notes)
	if t.Kind == partition.KindNone {
		return s.readLVM(s.addVolume(nil, &Partition{Device: guestDisk, Size: size}, disk, size, false))
	}
	var vols []*volume
	for _, p := range t.Partitions {
		if p.TypeName == "extended" || p.Size <= 0 {
			continue
		}
		if len(vols) >= maxVolumes {
			s.uninspectable(Info, "every partition", fmt.Sprintf("only the first %d were looked at", maxVolumes))
			break
		}
		entry := &Partition{
			Device: fmt.Sprintf("%s%d", guestDisk, p.Number), Number: p.Number,
			Start: p.Start, Size: p.Size, Type: p.Type, TypeName: p.TypeName,
			Bootable: p.Bootable, Logical: p.Logical,
		}
		vols = s.addVolume(vols, entry, io.NewSectionReader(disk, p.Start, p.Size), p.Size, false)
	}
	return s.readLVM(vols)
}

// addVolume detects what a partition or logical volume holds.
func (s *session) addVolume(vols []*volume, entry *Partition, r io.ReaderAt, size int64, isLV bool) []*volume {
	kind := filesystem.Detect(r, size)
	if kind == filesystem.Zero {
		kind = filesystem.Unknown
	}
	entry.FS = string(kind)
	entry.UUID, entry.Label = volumeID(r, size, kind)
	s.report.Partitions = append(s.report.Partitions, *entry)
	v := &volume{idx: len(s.report.Partitions) - 1, dev: entry.Device, number: entry.Number,
		uuid: entry.UUID, label: entry.Label, r: r, size: size, kind: kind, lvm: isLV}
	return append(vols, v)
}

// part is v's entry in the report.
func (s *session) part(v *volume) *Partition { return &s.report.Partitions[v.idx] }

// tableNotes turns the partition reader's notes into findings: a partition
// past the end of the disk means a truncated or damaged image.
func (s *session) tableNotes(notes []string) {
	var damage, odd []string
	for _, n := range notes {
		switch {
		case strings.Contains(n, "not at the end of the disk"):
			// A grown disk, or qemu-img rounding a VHD up to its geometry:
			// harmless.
		case strings.Contains(n, "past the end"), strings.Contains(n, "truncated"), strings.Contains(n, "overlap"):
			damage = append(damage, n)
		default:
			odd = append(odd, n)
		}
	}
	if len(damage) > 0 {
		s.add(corruptFinding(strings.Join(damage, "; ")))
	}
	if len(odd) > 0 {
		s.add(Finding{ID: IDUninspectable, Severity: Info,
			Message: "The partition table is unusual: " + q(strings.Join(odd, "; ")) + ".",
			Fix:     "Check it with fdisk -l or gdisk -l before importing."})
	}
}
