package convert

import (
	"archive/tar"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxOVF bounds the descriptor read into memory: real ones are a few KiB.
const maxOVF = 1 << 20

// maxOVAMembers bounds the tar entries walked to reach the disk.
const maxOVAMembers = 1000

// ovfDisk is the one disk an OVF descriptor names, and the tar member
// holding it.
type ovfDisk struct {
	Member      string // tar member name (the File's href)
	DiskID      string
	Format      string // the Disk's ovf:format URL
	Compression string // the File's ovf:compression ("" or "gzip")
}

// ovfEnvelope is the part of an OVF descriptor read here. encoding/xml
// matches these names in any namespace, so ovf:href and href both work.
type ovfEnvelope struct {
	Files []struct {
		ID          string `xml:"id,attr"`
		Href        string `xml:"href,attr"`
		Compression string `xml:"compression,attr"`
	} `xml:"References>File"`
	Disks []struct {
		DiskID  string `xml:"diskId,attr"`
		FileRef string `xml:"fileRef,attr"`
		Format  string `xml:"format,attr"`
	} `xml:"DiskSection>Disk"`
}

// parseOVF finds the one disk an OVF descriptor names. More than one disk
// (with a file behind it) is an error naming them all: which is the system
// disk is not something to guess.
func parseOVF(desc []byte) (ovfDisk, error) {
	var env ovfEnvelope
	dec := xml.NewDecoder(bytes.NewReader(desc))
	dec.Strict = true
	if err := dec.Decode(&env); err != nil {
		return ovfDisk{}, fmt.Errorf("the OVF descriptor cannot be read: %v", err)
	}
	files := map[string]int{}
	for i, f := range env.Files {
		files[f.ID] = i
	}
	var found []ovfDisk
	var names []string
	for _, d := range env.Disks {
		i, ok := files[d.FileRef]
		if d.FileRef == "" || !ok {
			continue // a blank disk the appliance creates: no data to send
		}
		f := env.Files[i]
		found = append(found, ovfDisk{Member: f.Href, DiskID: d.DiskID, Format: d.Format, Compression: f.Compression})
		names = append(names, fmt.Sprintf("%s (%s)", f.Href, d.DiskID))
	}
	switch {
	case len(found) == 0:
		return ovfDisk{}, errors.New("the OVF descriptor names no disk with data")
	case len(found) > 1:
		return ovfDisk{}, &MultiDiskError{Disks: names}
	}
	d := found[0]
	if d.Member == "" || strings.Contains(d.Member, "://") {
		return ovfDisk{}, fmt.Errorf("the OVF's disk %q is not a file inside the OVA", d.Member)
	}
	if c := d.Compression; c != "" && c != "identity" && c != "gzip" {
		return ovfDisk{}, fmt.Errorf("the OVF's disk uses %q compression, which uimport does not read", c)
	}
	return d, nil
}

// MultiDiskError: an OVA with several disks; only one can be imported.
type MultiDiskError struct{ Disks []string }

func (e *MultiDiskError) Error() string {
	return fmt.Sprintf("the OVA holds %d disks (%s), and an image is one disk: unpack it (tar xf) and upload the system disk by itself",
		len(e.Disks), strings.Join(e.Disks, ", "))
}

// ovaMember is the disk's entry in the tar: where its bytes are in the
// (uncompressed) archive, and whether they lie there contiguously.
type ovaMember struct {
	disk       ovfDisk
	name       string
	offset     int64 // of the data in the tar stream
	size       int64
	contiguous bool // a plain regular file, not sparse: readable at offset
}

// positionReader counts the bytes read through it, so the tar data's
// offset is known. archive/tar reads exactly what it needs.
type positionReader struct {
	r   io.Reader
	pos int64
}

func (p *positionReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.pos += int64(n)
	return n, err
}

// findOVADisk reads an OVA's descriptor (its first member, as the OVF spec
// requires) and walks on to the disk's member. It leaves tr positioned at
// the disk's data.
func findOVADisk(tr *tar.Reader, pos *positionReader) (ovaMember, error) {
	hdr, err := tr.Next()
	if err != nil {
		return ovaMember{}, fmt.Errorf("the OVA cannot be read as a tar archive: %v", err)
	}
	if !strings.EqualFold(path.Ext(hdr.Name), ".ovf") {
		return ovaMember{}, fmt.Errorf("the OVA's first file is %q, not its .ovf descriptor", printable(hdr.Name))
	}
	desc, err := io.ReadAll(io.LimitReader(tr, maxOVF+1))
	if err != nil {
		return ovaMember{}, fmt.Errorf("the OVA's descriptor cannot be read: %v", err)
	}
	if len(desc) > maxOVF {
		return ovaMember{}, errors.New("the OVA's descriptor is larger than 1 MiB: not an OVF")
	}
	disk, err := parseOVF(desc)
	if err != nil {
		return ovaMember{}, err
	}
	for range maxOVAMembers {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ovaMember{}, fmt.Errorf("the OVA cannot be read as a tar archive: %v", err)
		}
		if path.Clean(hdr.Name) != path.Clean(disk.Member) {
			continue
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeGNUSparse {
			return ovaMember{}, fmt.Errorf("the OVA's disk %q is not a regular file", printable(hdr.Name))
		}
		sparse := hdr.Typeflag == tar.TypeGNUSparse
		for k := range hdr.PAXRecords {
			sparse = sparse || strings.HasPrefix(k, "GNU.sparse.")
		}
		return ovaMember{disk: disk, name: hdr.Name, offset: pos.pos, size: hdr.Size, contiguous: !sparse}, nil
	}
	return ovaMember{}, fmt.Errorf("the OVA has no file %q, the disk its descriptor names", printable(disk.Member))
}

// printable keeps a name from the archive safe to show.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
