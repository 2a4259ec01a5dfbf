package partition

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

func readTable(t *testing.T, img []byte) *Table {
	t.Helper()
	tab, err := Read(bytes.NewReader(img), int64(len(img)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return tab
}

func hasNote(tab *Table, substr string) bool {
	for _, n := range tab.Notes {
		if strings.Contains(n, substr) {
			return true
		}
	}
	return false
}

// sameAsSfdisk checks every partition against sfdisk's own reading.
func sameAsSfdisk(t *testing.T, path string, tab *Table) {
	t.Helper()
	want := sfdiskJSON(t, path)
	if want.Label == "dos" {
		want.Label = KindMBR
	}
	if tab.Kind != want.Label {
		t.Fatalf("Kind %q, sfdisk says %q", tab.Kind, want.Label)
	}
	if len(tab.Partitions) != len(want.Partitions) {
		t.Fatalf("%d partitions, sfdisk lists %d: %+v", len(tab.Partitions), len(want.Partitions), tab.Partitions)
	}
	for i, w := range want.Partitions {
		got := tab.Partitions[i]
		wantType := w.Type
		if tab.Kind == KindMBR {
			wantType = fmt.Sprintf("0x%02s", w.Type)
		}
		if got.Number != w.number(t, path) || got.Start != w.Start*want.SectorSize ||
			got.Size != w.Size*want.SectorSize || got.Type != wantType || got.Name != w.Name ||
			(tab.Kind == KindMBR && got.Bootable != w.Bootable) {
			t.Errorf("partition %d: got %+v, sfdisk says %+v (sector size %d)", i, got, w, want.SectorSize)
		}
	}
}

func TestMBRWithLogicalPartitions(t *testing.T) {
	t.Parallel()
	path := mbrDisk(t)
	tab := readTable(t, readFile(t, path))
	sameAsSfdisk(t, path, tab)
	if tab.DiskSignature != 0 {
		t.Errorf("DiskSignature %#x, want 0", tab.DiskSignature)
	}
	names := map[int]string{}
	for _, p := range tab.Partitions {
		names[p.Number] = p.TypeName
		if p.Logical != (p.Number >= 5) {
			t.Errorf("partition %d: Logical %v", p.Number, p.Logical)
		}
	}
	want := map[int]string{1: "linux", 2: "linux-lvm", 3: "extended", 5: "linux", 6: "swap", 7: "linux"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("type names %v, want %v", names, want)
	}
	if !tab.Partitions[0].Bootable || tab.Partitions[1].Bootable {
		t.Errorf("bootable flags wrong: %+v", tab.Partitions[:2])
	}
	if len(tab.Notes) != 0 {
		t.Errorf("notes on a clean disk: %q", tab.Notes)
	}
}

func TestMBRDiskSignature(t *testing.T) {
	t.Parallel()
	path := emptyDisk(t, 8<<20)
	run(t, "label: dos\nlabel-id: 0x1234abcd\nstart=2048, type=83\n", "sfdisk", "-q", path)
	tab := readTable(t, readFile(t, path))
	if tab.Kind != KindMBR || tab.DiskSignature != 0x1234abcd {
		t.Errorf("got %s %#x, want mbr 0x1234abcd", tab.Kind, tab.DiskSignature)
	}
}

func TestGPT(t *testing.T) {
	t.Parallel()
	path := gptDisk(t)
	tab := readTable(t, readFile(t, path))
	sameAsSfdisk(t, path, tab)
	guid := regexp.MustCompile(`Disk identifier \(GUID\): (\S+)`).FindStringSubmatch(run(t, "", "sgdisk", "-p", path))
	if guid == nil || tab.DiskGUID != guid[1] {
		t.Errorf("DiskGUID %q, sgdisk -p says %q", tab.DiskGUID, guid)
	}
	var names []string
	for _, p := range tab.Partitions {
		names = append(names, p.TypeName)
	}
	if got := strings.Join(names, " "); got != "bios-boot efi linux linux-root-x86_64 linux-lvm" {
		t.Errorf("type names %q", got)
	}
	if !tab.Partitions[2].Bootable || tab.Partitions[3].Bootable {
		t.Errorf("legacy BIOS bootable attribute: %+v", tab.Partitions[2:4])
	}
	if tab.SectorSize != 512 || len(tab.Notes) != 0 {
		t.Errorf("sector size %d, notes %q", tab.SectorSize, tab.Notes)
	}
}

func TestHybridMBR(t *testing.T) {
	t.Parallel()
	path := gptDisk(t)
	run(t, "", "sgdisk", "-h", "2:3", path)
	tab := readTable(t, readFile(t, path))
	if tab.Kind != KindGPT || len(tab.Partitions) != 5 || !hasNote(tab, "hybrid MBR") {
		t.Errorf("got %s, %d partitions, notes %q; want gpt, 5, a hybrid note", tab.Kind, len(tab.Partitions), tab.Notes)
	}
	// With both GPT headers gone the hybrid MBR's own entries are used.
	img := readFile(t, path)
	clear(img[512:1024])
	clear(img[len(img)-512:])
	tab = readTable(t, img)
	if tab.Kind != KindMBR || len(tab.Partitions) < 2 || !hasNote(tab, "hybrid MBR's partitions") {
		t.Errorf("without GPT headers: %s %+v %q", tab.Kind, tab.Partitions, tab.Notes)
	}
}

func TestGPT4096ByteSectors(t *testing.T) {
	t.Parallel()
	path := emptyDisk(t, 64<<20)
	run(t, "g\nn\n1\n\n+4M\nn\n2\n\n+8M\nw\n", "fdisk", "-b", "4096", path)
	tab := readTable(t, readFile(t, path))
	if tab.Kind != KindGPT || tab.SectorSize != 4096 || len(tab.Partitions) != 2 {
		t.Fatalf("got %+v", tab)
	}
	// fdisk aligns to 1 MiB: sector 256 of 4 KiB.
	if p := tab.Partitions[0]; p.Start != 1<<20 || p.Size != 4<<20 || p.TypeName != "linux" {
		t.Errorf("partition 1: %+v", p)
	}
	if p := tab.Partitions[1]; p.Start != 5<<20 || p.Size != 8<<20 {
		t.Errorf("partition 2: %+v", p)
	}
}

func TestGPTPrimaryDamaged(t *testing.T) {
	t.Parallel()
	path := gptDisk(t)
	clean := readFile(t, path)
	want := readTable(t, clean).Partitions
	for _, tc := range []struct {
		name, note string
		damage     func(img []byte)
	}{
		{"header", "primary GPT header corrupt", func(img []byte) { img[512+40]++ }},
		{"entries", "primary GPT entry array corrupt", func(img []byte) { img[1024+56]++ }},
		{"signature", "primary GPT header missing", func(img []byte) { clear(img[512:520]) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := bytes.Clone(clean)
			tc.damage(img)
			tab := readTable(t, img)
			if tab.Kind != KindGPT || !hasNote(tab, tc.note) || !hasNote(tab, "using the backup GPT") {
				t.Errorf("got %s, notes %q", tab.Kind, tab.Notes)
			}
			if fmt.Sprint(tab.Partitions) != fmt.Sprint(want) {
				t.Errorf("from the backup:\n%+v\nwant\n%+v", tab.Partitions, want)
			}
		})
	}
	t.Run("both", func(t *testing.T) {
		img := bytes.Clone(clean)
		img[512+40]++
		img[len(img)-512+40]++
		tab := readTable(t, img)
		if tab.Kind != KindGPT || len(tab.Partitions) != 0 || !hasNote(tab, "no partitions can be read") {
			t.Errorf("got %s %+v, notes %q", tab.Kind, tab.Partitions, tab.Notes)
		}
	})
}

func TestGPTBackupProblems(t *testing.T) {
	t.Parallel()
	img := readFile(t, gptDisk(t))
	missing := bytes.Clone(img)
	clear(missing[len(missing)-512:])
	if tab := readTable(t, missing); len(tab.Partitions) != 5 || !hasNote(tab, "backup GPT header missing") {
		t.Errorf("backup wiped: %d partitions, notes %q", len(tab.Partitions), tab.Notes)
	}
	// A disk grown after partitioning (qemu-img resize) has its backup
	// in the middle.
	grown := append(bytes.Clone(img), make([]byte, 1<<20)...)
	if tab := readTable(t, grown); len(tab.Partitions) != 5 || !hasNote(tab, "not at the end of the disk") || len(tab.Notes) != 1 {
		t.Errorf("grown disk: %d partitions, notes %q", len(tab.Partitions), tab.Notes)
	}
}

func TestPartitionsPastTheEnd(t *testing.T) {
	t.Parallel()
	img := readFile(t, mbrDisk(t))
	// Cut the disk inside logical partition 6: 6 is clipped, 7 is gone.
	cut := int64(43008+2048+8192+2048+4096) * 512
	tab := readTable(t, img[:cut])
	byNumber := map[int]Partition{}
	for _, p := range tab.Partitions {
		byNumber[p.Number] = p
		if p.End() > cut {
			t.Errorf("partition %d ends at %d, past the disk's %d", p.Number, p.End(), cut)
		}
	}
	if _, ok := byNumber[6]; !ok || !hasNote(tab, "partition 6 ends past the end of the disk") {
		t.Errorf("partition 6 should be clipped and noted: %+v %q", tab.Partitions, tab.Notes)
	}
	if _, ok := byNumber[7]; ok {
		t.Errorf("partition 7 lies beyond the cut and should be gone: %+v", tab.Partitions)
	}

	gpt := readFile(t, gptDisk(t))
	tab = readTable(t, gpt[:50<<20])
	if !hasNote(tab, "partition 5 ends past the end of the disk") || !hasNote(tab, "backup GPT header missing") {
		t.Errorf("truncated GPT disk: notes %q", tab.Notes)
	}
}

// ebrOffsets lists the byte offsets of the EBR chain of mbrDisk.
func ebrOffsets(t *testing.T, img []byte) []int64 {
	extStart := int64(binary.LittleEndian.Uint32(img[446+32+8:])) * 512
	var offs []int64
	for ebr := extStart; len(offs) < 10; {
		offs = append(offs, ebr)
		next := binary.LittleEndian.Uint32(img[ebr+446+16+8:])
		if next == 0 {
			break
		}
		ebr = extStart + int64(next)*512
	}
	return offs
}

func TestEBRChainLoop(t *testing.T) {
	t.Parallel()
	img := readFile(t, mbrDisk(t))
	offs := ebrOffsets(t, img)
	if len(offs) != 3 {
		t.Fatalf("EBRs at %v, want 3", offs)
	}
	// The last EBR's next link points back at the second EBR.
	last, second := offs[2], offs[1]
	extStart := offs[0]
	e := img[last+446+16:]
	e[4] = 0x05
	binary.LittleEndian.PutUint32(e[8:], uint32((second-extStart)/512))
	binary.LittleEndian.PutUint32(e[12:], 2)
	tab := readTable(t, img)
	if !hasNote(tab, "loops") || len(tab.Partitions) != 6 {
		t.Errorf("got %d partitions, notes %q", len(tab.Partitions), tab.Notes)
	}
}

func TestNoTable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tool string
		args []string
	}{
		{"mkfs.ext4", []string{"-q", "-F"}},
		{"mkfs.fat", []string{"-F", "32"}},
		{"mkfs.fat", []string{"-F", "16"}},
		{"mkntfs", []string{"-q", "-F", "-Q"}},
	} {
		t.Run(tc.tool+strings.Join(tc.args, ""), func(t *testing.T) {
			path := emptyDisk(t, 64<<20)
			run(t, "", tc.tool, append(tc.args, path)...)
			if tab := readTable(t, readFile(t, path)); tab.Kind != KindNone || len(tab.Partitions) != 0 {
				t.Errorf("bare %s: %+v", tc.tool, tab)
			}
		})
	}
	for _, size := range []int{0, 100, 512, 4096} {
		if tab := readTable(t, make([]byte, size)); tab.Kind != KindNone {
			t.Errorf("%d zero bytes: %+v", size, tab)
		}
	}
}

// shortReader fails every read, as a broken remote source would.
type failingReader struct{}

func (failingReader) ReadAt([]byte, int64) (int, error) { return 0, os.ErrDeadlineExceeded }

func TestReadErrorIsReturned(t *testing.T) {
	t.Parallel()
	if _, err := Read(failingReader{}, 1<<20); err == nil {
		t.Error("a failing reader gave no error")
	}
}
