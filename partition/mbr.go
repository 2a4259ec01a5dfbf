package partition

import (
	"encoding/binary"
	"fmt"
)

// mbrEntry is one 16-byte slot of an MBR or EBR.
type mbrEntry struct {
	status byte
	typ    byte
	start  uint32 // LBA
	count  uint32 // sectors
}

func (e mbrEntry) used() bool     { return e.typ != 0 && e.count != 0 }
func (e mbrEntry) extended() bool { return e.typ == 0x05 || e.typ == 0x0F || e.typ == 0x85 }

type mbrSector struct {
	signature uint32
	entries   [4]mbrEntry
}

// protective: a GPT's protective (or hybrid) MBR.
func (m mbrSector) protective() bool {
	for _, e := range m.entries {
		if e.typ == 0xEE && e.count != 0 {
			return true
		}
	}
	return false
}

// hybrid: a protective MBR that also maps partitions.
func (m mbrSector) hybrid() bool {
	for _, e := range m.entries {
		if e.used() && e.typ != 0xEE {
			return true
		}
	}
	return false
}

func parseEntries(sector []byte) [4]mbrEntry {
	var es [4]mbrEntry
	for i := range es {
		b := sector[446+16*i:]
		es[i] = mbrEntry{
			status: b[0],
			typ:    b[4],
			start:  binary.LittleEndian.Uint32(b[8:]),
			count:  binary.LittleEndian.Uint32(b[12:]),
		}
	}
	return es
}

// parseMBR reports whether sector 0 is a partition table. A file system's
// boot sector also ends in 55 AA: like Linux, status bytes other than 0 and
// 0x80 rule a table out, and a FAT/NTFS/exFAT boot sector with no usable
// entry is a bare file system.
func parseMBR(sector []byte) (mbrSector, bool) {
	if sector[510] != 0x55 || sector[511] != 0xAA {
		return mbrSector{}, false
	}
	m := mbrSector{signature: binary.LittleEndian.Uint32(sector[440:]), entries: parseEntries(sector)}
	anyUsed := false
	for _, e := range m.entries {
		if e.status != 0 && e.status != 0x80 {
			return mbrSector{}, false
		}
		anyUsed = anyUsed || e.used()
	}
	if !anyUsed && looksLikeBootSector(sector) {
		return mbrSector{}, false
	}
	return m, true
}

func looksLikeBootSector(s []byte) bool {
	if s[0] != 0xEB && s[0] != 0xE9 {
		return false
	}
	return string(s[3:11]) == "NTFS    " || string(s[3:11]) == "EXFAT   " ||
		string(s[54:59]) == "FAT12" || string(s[54:59]) == "FAT16" || string(s[82:87]) == "FAT32"
}

func readMBR(d *disk, t *Table, m mbrSector) error {
	t.Kind = KindMBR
	t.DiskSignature = m.signature
	const ss = 512
	var ext Partition
	haveExt := false
	for i, e := range m.entries {
		if !e.used() {
			continue
		}
		p := Partition{
			Number:   i + 1,
			Start:    int64(e.start) * ss,
			Size:     int64(e.count) * ss,
			Type:     fmt.Sprintf("0x%02x", e.typ),
			TypeName: mbrTypeName(e.typ),
			Bootable: e.status == 0x80,
		}
		if e.typ == 0xEE {
			t.Notes = append(t.Notes, fmt.Sprintf("partition %d is a GPT protective entry but no GPT was found", p.Number))
		}
		n := len(t.Partitions)
		addClipped(t, p, d.size)
		// Linux follows only the first extended partition.
		if e.extended() && !haveExt && len(t.Partitions) > n {
			ext, haveExt = t.Partitions[n], true
		} else if e.extended() && haveExt {
			t.Notes = append(t.Notes, fmt.Sprintf("partition %d is a second extended partition; its logical partitions are not read", p.Number))
		}
	}
	if haveExt {
		return readLogical(d, t, ext)
	}
	return nil
}

// readLogical walks the chain of extended boot records (EBRs). A logical
// partition's start is relative to its own EBR; the next EBR's start is
// relative to the extended partition. The walk is bounded and stops at a
// loop.
func readLogical(d *disk, t *Table, ext Partition) error {
	const ss = 512
	extStart, extEnd := ext.Start, ext.End()
	seen := map[int64]bool{}
	number := 5
	ebr := extStart
	for hops := 0; ; hops++ {
		if hops >= 2*MaxLogical {
			t.Notes = append(t.Notes, "extended partition: too many boot records; the rest are not read")
			return nil
		}
		if seen[ebr] {
			t.Notes = append(t.Notes, "extended partition: the boot record chain loops; stopped")
			return nil
		}
		seen[ebr] = true
		if ebr < extStart || ebr+ss > extEnd {
			t.Notes = append(t.Notes, fmt.Sprintf("extended partition: a boot record at byte %d lies outside it", ebr))
			return nil
		}
		sector, err := d.read(ebr, ss)
		if err != nil {
			if err == errOutside {
				return nil
			}
			return err
		}
		if sector[510] != 0x55 || sector[511] != 0xAA {
			// An empty extended partition has a zeroed first EBR.
			if ebr != extStart {
				t.Notes = append(t.Notes, fmt.Sprintf("extended partition: boot record at byte %d has no signature", ebr))
			}
			return nil
		}
		entries := parseEntries(sector)
		var next *mbrEntry
		for i, e := range entries {
			if !e.used() {
				continue
			}
			if e.extended() {
				if next == nil {
					next = &entries[i]
				}
				continue
			}
			start := ebr + int64(e.start)*ss
			size := int64(e.count) * ss
			// Slots 3 and 4 of an EBR often hold garbage; Linux only
			// takes them when they fit in the extended partition.
			if i >= 2 && (start < extStart || start+size > extEnd) {
				continue
			}
			if number-4 > MaxLogical {
				t.Notes = append(t.Notes, "extended partition: too many logical partitions; the rest are not read")
				return nil
			}
			p := Partition{
				Number:   number,
				Start:    start,
				Size:     size,
				Type:     fmt.Sprintf("0x%02x", e.typ),
				TypeName: mbrTypeName(e.typ),
				Bootable: e.status == 0x80,
				Logical:  true,
			}
			number++
			if start+size > extEnd && start < extEnd {
				t.Notes = append(t.Notes, fmt.Sprintf("partition %d ends past the end of the extended partition", p.Number))
			}
			addClipped(t, p, d.size)
		}
		if next == nil {
			return nil
		}
		ebr = extStart + int64(next.start)*ss
	}
}
