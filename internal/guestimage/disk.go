package guestimage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Partition table kinds.
const (
	MBR  = "mbr"
	GPT  = "gpt"
	None = "none" // a bare file system on the whole disk
)

// Partition types, by what they are; each table spells them its own way.
const (
	TypeLinux    = "linux"
	TypeSwap     = "swap"
	TypeLVM      = "lvm"
	TypeBIOSBoot = "bios-boot"
	TypeEFI      = "efi"
	TypeMSR      = "msr"
	TypeNTFS     = "ntfs"
)

var mbrTypes = map[string]string{TypeLinux: "83", TypeSwap: "82", TypeLVM: "8e", TypeEFI: "ef", TypeNTFS: "7"}
var gptTypes = map[string]string{TypeLinux: "8300", TypeSwap: "8200", TypeLVM: "8e00", TypeBIOSBoot: "ef02",
	TypeEFI: "ef00", TypeMSR: "0c01", TypeNTFS: "0700"}

// Part is one partition.
type Part struct {
	Number   int // GPT only: the entry number (Ubuntu's cloud image puts 14 and 15 first); 0 = next
	Size     int64
	Type     string
	Name     string // GPT partition name
	Bootable bool   // MBR active flag
	Logical  bool   // MBR: a logical partition (an extended one is made to hold them)
	FS       FS     // what is written into it (Kind NoFS for nothing)
	LVM      *VG    // when set, the partition is an LVM physical volume holding this group
}

// VG is an LVM volume group on one physical volume.
type VG struct {
	Name string
	LVs  []LV
}

// LV is a linear logical volume and its file system.
type LV struct {
	Name string
	Size int64
	FS   FS
}

// Disk is a whole guest disk.
type Disk struct {
	Table string // MBR, GPT or None
	Parts []Part
	Whole FS    // the file system of a None disk
	Size  int64 // 0: just enough for the partitions
	// DiskID: the MBR signature ("0x..."); "" for a fixed one.
	DiskID string
}

// Build writes the disk as a sparse raw file in work and returns its path.
func (d Disk) Build(work string) (string, error) {
	raw := filepath.Join(work, "disk.raw")
	if d.Table == None {
		img, err := d.Whole.Make(work)
		if err != nil {
			return "", err
		}
		return img, os.Rename(img, raw)
	}
	size := d.Size
	if size == 0 {
		size = 2 * MiB // the table and GPT's backup
		for _, p := range d.Parts {
			size += roundMiB(p.Size) + MiB
		}
	}
	if err := truncate(raw, size); err != nil {
		return "", err
	}
	var err error
	switch d.Table {
	case MBR:
		err = d.partitionMBR(raw)
	case GPT:
		err = d.partitionGPT(raw)
	default:
		err = fmt.Errorf("guestimage: unknown table %q", d.Table)
	}
	if err != nil {
		return "", err
	}
	starts, err := partitionStarts(raw)
	if err != nil {
		return "", err
	}
	for i, p := range d.Parts {
		num := d.number(i)
		start, ok := starts[num]
		if !ok {
			return "", fmt.Errorf("guestimage: partition %d not in the table", num)
		}
		img := ""
		switch {
		case p.LVM != nil:
			img, err = makePV(work, p.Size, *p.LVM)
		case p.FS.Kind != NoFS:
			fs := p.FS
			if fs.Size == 0 || fs.Size > p.Size {
				fs.Size = p.Size
			}
			img, err = fs.Make(work)
		}
		if err != nil {
			return "", err
		}
		if img != "" {
			if err := place(raw, img, start); err != nil {
				return "", err
			}
			os.Remove(img)
		}
	}
	return raw, nil
}

// number is the partition number Linux gives the i-th Part.
func (d Disk) number(i int) int {
	if d.Table == GPT {
		if d.Parts[i].Number != 0 {
			return d.Parts[i].Number
		}
		return i + 1
	}
	primary, logical := 0, 0
	for j := 0; j <= i; j++ {
		if d.Parts[j].Logical {
			logical++
		} else {
			primary++
		}
	}
	// partitionMBR lists the primaries first, then the extended one.
	if d.Parts[i].Logical {
		return 4 + logical
	}
	return primary
}

func roundMiB(n int64) int64 { return (n + MiB - 1) / MiB * MiB }

// partitionMBR writes a DOS table with sfdisk: primaries in order, then an
// extended partition holding the logical ones.
func (d Disk) partitionMBR(raw string) error {
	id := d.DiskID
	if id == "" {
		id = "0x5eed1e55"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "label: dos\nlabel-id: %s\nunit: sectors\n", id)
	next := MiB
	var logical []Part
	for _, p := range d.Parts {
		if p.Logical {
			logical = append(logical, p)
			continue
		}
		fmt.Fprintf(&b, "start=%d, size=%d, type=%s%s\n", next/512, roundMiB(p.Size)/512, mbrTypes[p.Type], boolStr(p.Bootable, ", bootable"))
		next += roundMiB(p.Size)
	}
	if len(logical) > 0 {
		ext := int64(0)
		for _, p := range logical {
			ext += roundMiB(p.Size) + MiB
		}
		fmt.Fprintf(&b, "start=%d, size=%d, type=5\n", next/512, ext/512)
		pos := next
		for _, p := range logical {
			pos += MiB // room for the EBR
			fmt.Fprintf(&b, "start=%d, size=%d, type=%s\n", pos/512, roundMiB(p.Size)/512, mbrTypes[p.Type])
			pos += roundMiB(p.Size)
		}
	}
	cmd := exec.Command("sfdisk", "--no-reread", "--no-tell-kernel", "-q", raw)
	cmd.Stdin = strings.NewReader(b.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("sfdisk: %v\n%s\n%s", err, out, b.String())
	}
	return nil
}

func boolStr(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

// partitionGPT writes a GPT with sgdisk, in the order given (so entry 14
// can come first on the disk, as in Ubuntu's cloud image).
func (d Disk) partitionGPT(raw string) error {
	args := []string{"-o", "-U", "5EED1E55-0000-4000-8000-000000000001"}
	next := MiB
	for i, p := range d.Parts {
		n := d.number(i)
		args = append(args, fmt.Sprintf("-n%d:%d:%d", n, next/512, (next+roundMiB(p.Size))/512-1),
			fmt.Sprintf("-t%d:%s", n, gptTypes[p.Type]))
		if p.Name != "" {
			args = append(args, fmt.Sprintf("-c%d:%s", n, p.Name))
		}
		next += roundMiB(p.Size)
	}
	return run("sgdisk", append(args, raw)...)
}

// partitionStarts reads back where each partition starts, in bytes.
func partitionStarts(raw string) (map[int]int64, error) {
	out, err := output("sfdisk", "-J", raw)
	if err != nil {
		return nil, err
	}
	var t struct {
		PartitionTable struct {
			Partitions []struct {
				Node  string `json:"node"`
				Start int64  `json:"start"`
			} `json:"partitions"`
		} `json:"partitiontable"`
	}
	if err := json.Unmarshal(out, &t); err != nil {
		return nil, err
	}
	starts := map[int]int64{}
	for _, p := range t.PartitionTable.Partitions {
		num := strings.TrimLeft(strings.TrimPrefix(p.Node, raw), "p")
		var n int
		if _, err := fmt.Sscan(num, &n); err == nil {
			starts[n] = p.Start * 512
		}
	}
	return starts, nil
}

// place copies img into raw at off, skipping zero blocks so raw stays sparse.
func place(raw, img string, off int64) error {
	src, err := os.Open(img)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(raw, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer dst.Close()
	buf := make([]byte, 1<<20)
	zero := make([]byte, len(buf))
	for pos := int64(0); ; {
		n, err := io.ReadFull(src, buf)
		if n > 0 && !bytes.Equal(buf[:n], zero[:n]) {
			if _, werr := dst.WriteAt(buf[:n], off+pos); werr != nil {
				return werr
			}
		}
		pos += int64(n)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Convert writes raw as format ("qcow2", "vmdk", "vmdk-stream", "vhd",
// "vhd-fixed") next to it and returns the new path.
func Convert(raw, format string) (string, error) {
	ext, args := format, []string{"convert", "-q", "-f", "raw"}
	switch format {
	case "qcow2":
		args = append(args, "-O", "qcow2")
	case "vmdk":
		args = append(args, "-O", "vmdk")
	case "vmdk-stream":
		ext, args = "vmdk", append(args, "-O", "vmdk", "-o", "subformat=streamOptimized")
	case "vhd":
		args = append(args, "-O", "vpc")
	case "vhd-fixed":
		ext, args = "vhd", append(args, "-O", "vpc", "-o", "subformat=fixed")
	default:
		return "", fmt.Errorf("guestimage: unknown format %q", format)
	}
	out := strings.TrimSuffix(raw, filepath.Ext(raw)) + "-" + strings.ReplaceAll(format, "-", "") + "." + ext
	return out, run("qemu-img", append(args, raw, out)...)
}
