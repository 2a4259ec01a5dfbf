package imageformat

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// VMDK sparse extent header fields (little-endian), from VMware's "Virtual
// Disk Format 5.0".
const (
	vmdkVersion    = 4
	vmdkFlags      = 8
	vmdkCapacity   = 12 // sectors
	vmdkDescOffset = 28 // sectors
	vmdkDescSize   = 36 // sectors
	vmdkHeaderLen  = 79
	vmdkCompressed = 1 << 16 // grains are compressed: streamOptimized
	sectorSize     = 512
)

const descriptorMagic = "# Disk DescriptorFile"

const singleFileVMDK = "qemu-img convert -O vmdk -o subformat=streamOptimized disk.vmdk single.vmdk (or -O qcow2)"

func sniffVMDK(head, _ []byte, _ int64, _ int) (Result, bool) {
	switch {
	case at(head, 0, "KDMV"):
		return sparseVMDK(head), true
	case at(head, 0, descriptorMagic):
		return descriptorVMDK(head), true
	}
	return Result{}, false
}

// sparseVMDK is a monolithicSparse or streamOptimized file: one file that
// holds the whole disk, with its descriptor embedded.
func sparseVMDK(head []byte) Result {
	r := accepted(VMDK)
	if len(head) < vmdkHeaderLen {
		r.warn(fmt.Sprintf("only %d bytes could be read, so the VMDK header was not checked", len(head)), "")
		return r
	}
	version := le32(head, vmdkVersion)
	r.VirtualSize = mulSize(le64(head, vmdkCapacity), sectorSize)
	var d descriptor
	if off, n := le64(head, vmdkDescOffset), le64(head, vmdkDescSize); off > 0 && n > 0 && off < uint64(len(head))/sectorSize {
		end := min(uint64(len(head)), (off+min(n, uint64(len(head))))*sectorSize)
		d = parseDescriptor(head[off*sectorSize : end])
	}
	sub := d.createType
	if sub == "" {
		sub = "monolithicSparse"
		if le32(head, vmdkFlags)&vmdkCompressed != 0 {
			sub = "streamOptimized"
		}
	}
	r.detail("VMDK sparse extent v%d (%s), virtual size %s", version, sub, HumanSize(r.VirtualSize))
	if version < 1 || version > 3 {
		r.warn(fmt.Sprintf("VMDK version %d is unknown; the import service may not read it", version), "convert it: "+singleFileVMDK)
	}
	d.warnParent(&r)
	return r
}

// descriptorVMDK is a text descriptor on its own: the disk data lives in
// the extent files it names, which the import service never sees.
func descriptorVMDK(head []byte) Result {
	r := accepted(VMDK)
	d := parseDescriptor(head)
	r.VirtualSize = d.sectors * sectorSize
	ct := d.createType
	if ct == "" {
		ct = "no createType"
	}
	r.detail("VMDK descriptor (%s), virtual size %s", ct, HumanSize(r.VirtualSize))
	files := "none listed"
	if len(d.extents) > 0 {
		files = strings.Join(d.extents, ", ")
	}
	r.warn(fmt.Sprintf("this is only a VMDK descriptor: the disk data is in separate extent files (%s) that the import cannot fetch", files),
		"upload a single-file VMDK instead: "+singleFileVMDK)
	d.warnParent(&r)
	return r
}

// descriptor is what uimport needs from a VMDK descriptor's text.
type descriptor struct {
	createType string
	parentCID  string
	sectors    int64    // total of the extents' sizes
	extents    []string // extent file names
}

// parseDescriptor reads key=value lines and extent lines such as
// `RW 41943040 VMFS "disk-flat.vmdk"`.
func parseDescriptor(text []byte) descriptor {
	if i := bytes.IndexByte(text, 0); i >= 0 {
		text = text[:i] // an embedded descriptor is padded with NULs
	}
	var d descriptor
	for _, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, "="); ok && !strings.ContainsAny(k, " \"") {
			v = strings.Trim(strings.TrimSpace(v), `"`)
			switch strings.TrimSpace(k) {
			case "createType":
				d.createType = printable([]byte(v))
			case "parentCID":
				d.parentCID = strings.ToLower(v)
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 || (f[0] != "RW" && f[0] != "RDONLY" && f[0] != "NOACCESS") {
			continue
		}
		if n, err := strconv.ParseInt(f[1], 10, 64); err == nil && n > 0 && d.sectors+n <= 1<<53/sectorSize {
			d.sectors += n
		}
		if i, j := strings.IndexByte(line, '"'), strings.LastIndexByte(line, '"'); i >= 0 && j > i && len(d.extents) < 8 {
			d.extents = append(d.extents, printable([]byte(line[i+1:j])))
		}
	}
	return d
}

// warnParent flags a delta (snapshot) disk: parentCID ffffffff means "no
// parent"; anything else means the file holds only changes.
func (d descriptor) warnParent(r *Result) {
	if d.parentCID != "" && d.parentCID != "ffffffff" {
		r.warn("the VMDK is a snapshot (delta) disk with a parent: it holds only the changes, not the whole disk",
			"consolidate the snapshots, or convert the chain: qemu-img convert -O qcow2 disk.vmdk flat.qcow2")
	}
}
