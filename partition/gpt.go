package partition

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"unicode/utf16"
)

const gptSignature = "EFI PART"

// gptHeader is the part of a GPT header this package uses.
type gptHeader struct {
	myLBA, alternateLBA     uint64
	firstUsable, lastUsable uint64
	diskGUID                string
	entriesLBA              uint64
	numEntries, entrySize   uint32
	entriesCRC              uint32
}

// readGPT fills t from the primary GPT, or from the backup when the
// primary is damaged. The sector size is 512 unless the header is found
// at 4096 instead. t.Kind stays empty when neither header is usable.
func readGPT(d *disk, t *Table, mbr *mbrSector) error {
	if mbr != nil && mbr.hybrid() {
		t.Notes = append(t.Notes, "hybrid MBR: the MBR also lists partitions; the GPT is used")
	}
	ss := int64(512)
	if sig, err := d.read(512, 8); err != nil || string(sig) != gptSignature {
		if sig, err := d.read(4096, 8); err == nil && string(sig) == gptSignature {
			ss = 4096
		}
	}
	lastLBA := uint64(d.size/ss) - 1

	h, entries, problem, err := loadGPT(d, ss, 1, lastLBA)
	if err != nil {
		return err
	}
	if problem != "" {
		t.Notes = append(t.Notes, "primary GPT "+problem)
		// The backup is at the disk's last sector, or where a primary
		// with a good header (but bad entries) says it is.
		backupLBA := lastLBA
		if h != nil && h.alternateLBA != 0 && h.alternateLBA <= lastLBA {
			backupLBA = h.alternateLBA
		}
		var backupProblem string
		h, entries, backupProblem, err = loadGPT(d, ss, backupLBA, lastLBA)
		if err != nil {
			return err
		}
		if backupProblem != "" {
			t.Notes = append(t.Notes, "backup GPT "+backupProblem+"; no partitions can be read")
			return nil
		}
		t.Notes = append(t.Notes, "using the backup GPT")
	} else {
		checkBackup(d, t, ss, h, lastLBA)
	}
	t.Kind = KindGPT
	t.SectorSize = ss
	t.DiskGUID = h.diskGUID
	for i := uint32(0); i < h.numEntries; i++ {
		e := entries[int64(i)*int64(h.entrySize):]
		e = e[:h.entrySize]
		if allZero(e[:16]) {
			continue
		}
		number := int(i) + 1
		first := binary.LittleEndian.Uint64(e[32:])
		last := binary.LittleEndian.Uint64(e[40:])
		attrs := binary.LittleEndian.Uint64(e[48:])
		if last < first {
			t.Notes = append(t.Notes, fmt.Sprintf("partition %d ends before it starts; ignored", number))
			continue
		}
		maxLBA := uint64(1<<63-1) / uint64(ss)
		if first > maxLBA {
			t.Notes = append(t.Notes, fmt.Sprintf("partition %d starts past the end of the disk; ignored", number))
			continue
		}
		if last >= maxLBA {
			last = maxLBA - 1
		}
		typ := guidString(e[:16])
		addClipped(t, Partition{
			Number:   number,
			Start:    int64(first) * ss,
			Size:     int64(last-first+1) * ss,
			Type:     typ,
			TypeName: gptTypeName(typ),
			Name:     utf16Name(e[56:min(len(e), 56+72)]),
			Bootable: attrs&(1<<2) != 0,
		}, d.size)
	}
	return nil
}

// loadGPT reads and checks the header at lba and its entry array. problem
// says what is wrong ("" when both are good); h is set when the header
// itself is good.
func loadGPT(d *disk, ss int64, lba, lastLBA uint64) (h *gptHeader, entries []byte, problem string, err error) {
	if lba > lastLBA {
		return nil, nil, "header missing", nil
	}
	sector, err := d.read(int64(lba)*ss, ss)
	if err == errOutside {
		return nil, nil, "header missing", nil
	}
	if err != nil {
		return nil, nil, "", err
	}
	if string(sector[:8]) != gptSignature {
		return nil, nil, "header missing", nil
	}
	hdrSize := binary.LittleEndian.Uint32(sector[12:])
	if hdrSize < 92 || int64(hdrSize) > ss {
		return nil, nil, "header corrupt (bad size)", nil
	}
	want := binary.LittleEndian.Uint32(sector[16:])
	hdr := append([]byte(nil), sector[:hdrSize]...)
	clear(hdr[16:20])
	if crc32.ChecksumIEEE(hdr) != want {
		return nil, nil, "header corrupt (checksum mismatch)", nil
	}
	g := &gptHeader{
		myLBA:        binary.LittleEndian.Uint64(sector[24:]),
		alternateLBA: binary.LittleEndian.Uint64(sector[32:]),
		firstUsable:  binary.LittleEndian.Uint64(sector[40:]),
		lastUsable:   binary.LittleEndian.Uint64(sector[48:]),
		diskGUID:     guidString(sector[56:72]),
		entriesLBA:   binary.LittleEndian.Uint64(sector[72:]),
		numEntries:   binary.LittleEndian.Uint32(sector[80:]),
		entrySize:    binary.LittleEndian.Uint32(sector[84:]),
		entriesCRC:   binary.LittleEndian.Uint32(sector[88:]),
	}
	if g.myLBA != lba {
		return nil, nil, "header corrupt (it is not where it says it is)", nil
	}
	if g.entrySize < 128 || g.entrySize%128 != 0 {
		return nil, nil, fmt.Sprintf("header corrupt (entry size %d)", g.entrySize), nil
	}
	arrayBytes := uint64(g.numEntries) * uint64(g.entrySize)
	if arrayBytes > MaxGPTEntriesBytes {
		return nil, nil, fmt.Sprintf("header corrupt (entry array of %d bytes)", arrayBytes), nil
	}
	if g.entriesLBA > lastLBA {
		return g, nil, "entry array is outside the disk", nil
	}
	entries, err = d.read(int64(g.entriesLBA)*ss, int64(arrayBytes))
	if err == errOutside {
		return g, nil, "entry array is outside the disk", nil
	}
	if err != nil {
		return nil, nil, "", err
	}
	if crc32.ChecksumIEEE(entries) != g.entriesCRC {
		return g, nil, "entry array corrupt (checksum mismatch)", nil
	}
	return g, entries, "", nil
}

// checkBackup notes a missing or misplaced backup GPT; the primary is used
// either way.
func checkBackup(d *disk, t *Table, ss int64, primary *gptHeader, lastLBA uint64) {
	if primary.alternateLBA > lastLBA {
		t.Notes = append(t.Notes, "backup GPT header missing: the disk ends before it (was the image truncated?)")
		return
	}
	if primary.alternateLBA != lastLBA {
		t.Notes = append(t.Notes, "backup GPT header is not at the end of the disk (was the disk resized?)")
	}
	if _, _, problem, err := loadGPT(d, ss, primary.alternateLBA, lastLBA); err == nil && problem != "" {
		t.Notes = append(t.Notes, "backup GPT "+problem)
	}
}

// guidString formats a GUID as stored on disk (first three fields little
// endian) in upper-case canonical form.
func guidString(b []byte) string {
	return fmt.Sprintf("%08X-%04X-%04X-%X-%X",
		binary.LittleEndian.Uint32(b[0:]), binary.LittleEndian.Uint16(b[4:]),
		binary.LittleEndian.Uint16(b[6:]), b[8:10], b[10:16])
}

func utf16Name(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return strings.ToValidUTF8(string(utf16.Decode(u)), "\uFFFD")
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
