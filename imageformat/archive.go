package imageformat

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// packing is a compression or archive format: the import service takes the
// disk image itself, never a packed one.
type packing struct {
	name   string
	magic  string
	unpack string // the command that undoes it
	open   func(io.Reader) (io.Reader, error)
}

var packings = []packing{
	{"gzip", "\x1f\x8b", "gunzip disk.img.gz", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
	{"xz", "\xfd7zXZ\x00", "xz -d disk.img.xz", nil},
	{"zstd", "\x28\xb5\x2f\xfd", "zstd -d disk.img.zst", nil},
	{"bzip2", "BZh", "bunzip2 disk.img.bz2", func(r io.Reader) (io.Reader, error) { return bzip2.NewReader(r), nil }},
	{"zip", "PK\x03\x04", "unzip disk.zip", nil},
	{"7z", "7z\xbc\xaf\x27\x1c", "7z x disk.7z", nil},
}

const convertHint = "if it is not qcow2, VMDK, VHD or RAW, convert it: qemu-img convert -O qcow2 disk.img disk.qcow2"

func sniffCompressed(head, _ []byte, _ int64, depth int) (Result, bool) {
	for _, p := range packings {
		if !at(head, 0, p.magic) || (p.name == "bzip2" && !bzip2Level(head)) {
			continue
		}
		r := rejected(p.name, p.name+" data is not accepted: the import needs the disk image itself, not a packed copy",
			fmt.Sprintf("unpack it (%s), upload the image inside and import that; %s", p.unpack, convertHint))
		// Say what is inside when the standard library can tell, so the
		// fix can name the format to import as.
		if p.open != nil && depth == 0 {
			if inner := peek(head, p.open); inner.Format != "" && inner.Format != RAW {
				r.detail("contains %s", inner.Summary())
				if inner.Accepted {
					r.Fix = fmt.Sprintf("unpack it (%s), upload the image inside and import it as %s", p.unpack, inner.Format)
				} else {
					r.Fix = fmt.Sprintf("unpack it (%s); then %s", p.unpack, inner.Fix)
				}
			}
		}
		return r, true
	}
	return Result{}, false
}

// bzip2Level checks the block-size digit after "BZh", so three letters at
// the start of a raw disk are not mistaken for bzip2.
func bzip2Level(head []byte) bool { return len(head) > 3 && head[3] >= '1' && head[3] <= '9' }

// peek decompresses at most HeadSize bytes of head and sniffs them. The
// limit bounds memory whatever the input (a decompression bomb included);
// a stream cut short by the end of head is expected and not an error.
func peek(head []byte, open func(io.Reader) (io.Reader, error)) Result {
	zr, err := open(bytes.NewReader(head))
	if err != nil {
		return Result{}
	}
	inner, _ := io.ReadAll(io.LimitReader(zr, HeadSize))
	return sniff(inner, nil, -1, 1)
}

// ustar header fields.
const (
	tarBlock = 512
	tarName  = 0
	tarSize  = 124
	tarMagic = 257
)

// sniffTar recognises a tar archive, and an OVA, which is a tar whose
// entries include an .ovf descriptor (first, by the OVF spec).
func sniffTar(head, _ []byte, _ int64, _ int) (Result, bool) {
	if !at(head, tarMagic, "ustar") {
		return Result{}, false
	}
	names := tarNames(head)
	var disks []string
	ova := false
	for _, n := range names {
		lower := strings.ToLower(n)
		ova = ova || strings.HasSuffix(lower, ".ovf")
		if strings.HasSuffix(lower, ".vmdk") || strings.HasSuffix(lower, ".qcow2") || strings.HasSuffix(lower, ".vhd") || strings.HasSuffix(lower, ".img") || strings.HasSuffix(lower, ".raw") {
			disks = append(disks, n)
		}
	}
	disk := "disk1.vmdk"
	if len(disks) > 0 {
		disk = disks[0]
	}
	if ova {
		r := rejected("OVA", "an OVA is an appliance archive (tar), not a disk image",
			fmt.Sprintf("unpack it (tar xf appliance.ova) and import the disk inside, %s, as VMDK; or convert it: qemu-img convert -O qcow2 %s disk.qcow2", disk, disk))
		if len(disks) > 0 {
			r.detail("contains %s", strings.Join(disks, ", "))
		}
		return r, true
	}
	r := rejected("tar", "a tar archive is not accepted: the import needs the disk image itself",
		"unpack it (tar xf image.tar), upload the image inside and import that; "+convertHint)
	if len(names) > 0 {
		r.detail("contains %s", strings.Join(names, ", "))
	}
	return r, true
}

// tarNames lists the entry names whose headers lie within head (at most a
// few: enough to spot the .ovf and the disks).
func tarNames(head []byte) []string {
	var names []string
	for off := 0; off+tarBlock <= len(head) && len(names) < 8; {
		h := head[off : off+tarBlock]
		if !at(h, tarMagic, "ustar") {
			break
		}
		names = append(names, printable(h[tarName:tarName+100]))
		size, err := strconv.ParseInt(strings.Trim(string(h[tarSize:tarSize+12]), " \x00"), 8, 64)
		if err != nil || size < 0 || size > int64(len(head)) {
			break // the next header is beyond head anyway
		}
		off += tarBlock + int(size+tarBlock-1)/tarBlock*tarBlock
	}
	return names
}
