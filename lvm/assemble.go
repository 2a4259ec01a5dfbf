package lvm

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Device is a candidate PV: a partition or a whole disk.
type Device struct {
	R    io.ReaderAt
	Size int64
}

// Assemble finds the volume groups on a set of devices (a disk's
// partitions, say). Devices without an LVM2 label are skipped; a PV
// without metadata joins the VG that lists it. What cannot be used is
// returned as one error per device, beside the VGs that could be built.
func Assemble(devs []Device) ([]*VolumeGroup, []error) {
	var vgs []*VolumeGroup
	var problems []error
	var noMetadata []int
	for i, d := range devs {
		if _, err := ReadLabel(d.R, d.Size); errors.Is(err, ErrNotPV) {
			continue
		}
		// A VG already found through another of its PVs only needs this
		// one attached.
		if joined := joinKnown(vgs, d); joined {
			continue
		}
		vg, err := Open(d.R, d.Size)
		switch {
		case errors.Is(err, ErrNoMetadata):
			noMetadata = append(noMetadata, i)
		case err != nil:
			problems = append(problems, fmt.Errorf("device %d: %w", i+1, err))
		default:
			vgs = append(vgs, vg)
		}
	}
	for _, i := range noMetadata {
		if !joinKnown(vgs, devs[i]) {
			l, _ := ReadLabel(devs[i].R, devs[i].Size)
			problems = append(problems, fmt.Errorf("device %d: PV %s has no metadata and no VG found lists it", i+1, l.PVUUID))
		}
	}
	return vgs, problems
}

// joinKnown attaches d to the VG that lists its PV UUID, if one is known.
func joinKnown(vgs []*VolumeGroup, d Device) bool {
	l, err := ReadLabel(d.R, d.Size)
	if err != nil {
		return false
	}
	for _, vg := range vgs {
		for _, p := range vg.PVs {
			if sameUUID(p.UUID, l.PVUUID) {
				return vg.attach(l, d.R, d.Size) == nil
			}
		}
	}
	return false
}

// LVForDevice finds the LV a Linux device path names, as fstab, root=
// or resume= write it: /dev/mapper/VG-LV (dashes in names doubled) or
// /dev/VG/LV.
func (vg *VolumeGroup) LVForDevice(path string) (*LogicalVolume, bool) {
	if name, ok := strings.CutPrefix(path, "/dev/mapper/"); ok {
		for i := range vg.LVs {
			if vg.MapperName(vg.LVs[i].Name) == name {
				return &vg.LVs[i], true
			}
		}
		return nil, false
	}
	if rest, ok := strings.CutPrefix(path, "/dev/"+vg.Name+"/"); ok {
		return vg.LV(rest)
	}
	return nil, false
}
