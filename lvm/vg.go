package lvm

import (
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"
)

// Bounds on what one VG may describe.
const (
	MaxPVs      = 1024
	MaxLVs      = 4096
	MaxSegments = 65536 // over all LVs
)

// VolumeGroup is the newest metadata found on a PV, with the PVs whose
// contents have been attached (the one it was opened from, and any added
// with AddPV).
type VolumeGroup struct {
	Name       string
	UUID       string
	Seqno      int64
	ExtentSize int64 // bytes
	PVs        []PV
	LVs        []LogicalVolume
	// Notes say what is odd or unsupported, e.g.
	// "logical volume pool: thin-pool is not supported".
	Notes []string

	devices map[string]device // by PV name in the metadata ("pv0")
	pvIndex map[string]int    // PV name -> index in PVs
}

// PV is a physical volume as the VG metadata lists it.
type PV struct {
	Name    string // the metadata's key, e.g. "pv0"
	UUID    string
	Device  string // device path when the metadata was written; a hint only
	PEStart int64  // bytes from the start of the PV to extent 0
	PECount int64
	Missing bool // the metadata marks it MISSING
	Present bool // its contents were given to Open or AddPV
}

// LogicalVolume is one LV. Unsupported is empty when Open can read it.
type LogicalVolume struct {
	Name        string
	UUID        string
	Size        int64 // bytes
	Visible     bool  // false for LVM's internal LVs (thin pool data, raid images, ...)
	Segments    []Segment
	Unsupported string // e.g. "thin", "raid1", "striped (2 stripes)", "snapshot"
}

// Segment maps extents [StartExtent, StartExtent+ExtentCount) of an LV.
type Segment struct {
	StartExtent int64
	ExtentCount int64
	Type        string   // "striped" (linear when one stripe), "thin", "raid1", ...
	Stripes     []Stripe // for "striped"
}

// Stripe is where a striped segment's data is: extent StartExtent of PV.
type Stripe struct {
	PV          string // PV name in the metadata ("pv0")
	StartExtent int64
}

type device struct {
	r    io.ReaderAt
	size int64
}

// Open reads the VG metadata from a PV of size bytes and attaches it.
// A VG on several PVs needs AddPV for the others before their LVs open.
func Open(pv io.ReaderAt, size int64) (*VolumeGroup, error) {
	l, err := ReadLabel(pv, size)
	if err != nil {
		return nil, err
	}
	md, notes, err := newestMetadata(pv, size, l)
	if err != nil {
		return nil, err
	}
	vg, err := buildVG(md.root.vgSection())
	if err != nil {
		return nil, err
	}
	vg.Notes = append(notes, vg.Notes...)
	if err := vg.attach(l, pv, size); err != nil {
		return nil, err
	}
	return vg, nil
}

// AddPV attaches another PV of the VG (read from its label).
func (vg *VolumeGroup) AddPV(pv io.ReaderAt, size int64) error {
	l, err := ReadLabel(pv, size)
	if err != nil {
		return err
	}
	return vg.attach(l, pv, size)
}

func (vg *VolumeGroup) attach(l *Label, r io.ReaderAt, size int64) error {
	for i := range vg.PVs {
		p := &vg.PVs[i]
		if !sameUUID(p.UUID, l.PVUUID) {
			continue
		}
		if p.PEStart > size {
			return corruptf("PV %s: extents start at %d, past the end of its %d bytes", p.UUID, p.PEStart, size)
		}
		if have := (size - p.PEStart) / vg.ExtentSize; have < p.PECount {
			vg.Notes = append(vg.Notes, fmt.Sprintf("PV %s holds %d of its %d extents (truncated?)", p.UUID, have, p.PECount))
		}
		p.Present = true
		vg.devices[p.Name] = device{r: r, size: size}
		return nil
	}
	return fmt.Errorf("lvm: PV %s is not part of volume group %s", l.PVUUID, vg.Name)
}

// LV returns the logical volume called name.
func (vg *VolumeGroup) LV(name string) (*LogicalVolume, bool) {
	for i := range vg.LVs {
		if vg.LVs[i].Name == name {
			return &vg.LVs[i], true
		}
	}
	return nil, false
}

// MapperName is the LV's device-mapper name as /dev/mapper shows it
// ("vg-lv", with dashes inside either name doubled), so that fstab or a
// root= naming /dev/mapper/... can be matched to an LV.
func (vg *VolumeGroup) MapperName(lv string) string {
	return strings.ReplaceAll(vg.Name, "-", "--") + "-" + strings.ReplaceAll(lv, "-", "--")
}

// NeededPVs lists the UUIDs of PVs the LV lives on that are not attached.
func (vg *VolumeGroup) NeededPVs(lv *LogicalVolume) []string {
	var out []string
	for _, s := range lv.Segments {
		for _, st := range s.Stripes {
			if _, ok := vg.devices[st.PV]; ok {
				continue
			}
			uuid := st.PV
			if p := vg.pv(st.PV); p != nil {
				uuid = p.UUID
			}
			if !slices.Contains(out, uuid) {
				out = append(out, uuid)
			}
		}
	}
	return out
}

func (vg *VolumeGroup) pv(name string) *PV {
	if i, ok := vg.pvIndex[name]; ok {
		return &vg.PVs[i]
	}
	return nil
}

// mulOK multiplies non-negative a and b, reporting overflow past int64.
func mulOK(a, b int64) (int64, bool) {
	if a < 0 || b < 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > 1<<63-1 {
		return 0, false
	}
	return int64(lo), true
}
