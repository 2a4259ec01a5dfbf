package inspect

import (
	"fmt"

	"github.com/uimport/uimport/filesystem"
	"github.com/uimport/uimport/lvm"
)

// readLVM opens the volume groups on the LVM physical volumes among vols
// (a group may span several partitions) and adds their logical volumes.
func (s *session) readLVM(vols []*volume) []*volume {
	// Assemble groups the PVs whatever their order: a PV without metadata
	// may come before the one that describes its group.
	var devs []lvm.Device
	for _, v := range vols {
		if v.kind == filesystem.LVM2PV && !v.lvm {
			devs = append(devs, lvm.Device{R: v.r, Size: v.size})
		}
	}
	if len(devs) == 0 {
		return vols
	}
	groups, problems := lvm.Assemble(devs)
	for _, err := range problems {
		s.uninspectable(Warn, "an LVM physical volume", err.Error())
	}
	for _, vg := range groups {
		for _, note := range vg.Notes {
			s.uninspectable(Info, "volume group "+q(vg.Name), note)
		}
	}
	for _, vg := range groups {
		for _, lv := range vg.LVs {
			if !lv.Visible {
				continue
			}
			if len(vols) >= maxVolumes {
				s.uninspectable(Info, "every logical volume", fmt.Sprintf("only the first %d volumes were looked at", maxVolumes))
				return vols
			}
			dev := "/dev/mapper/" + vg.MapperName(lv.Name)
			r, size, err := vg.Open(lv.Name)
			if err != nil {
				// Thin, RAID and striped volumes, or a PV on another disk:
				// the root may be there.
				s.uninspectable(Warn, "the logical volume "+q(dev), err.Error())
				continue
			}
			entry := &Partition{Device: dev, Size: size, VolumeGroup: vg.Name}
			vols = s.addVolume(vols, entry, r, size, true)
			vols[len(vols)-1].aliases = []string{"/dev/" + vg.Name + "/" + lv.Name}
		}
	}
	return vols
}

// named reports whether spec is one of the volume's device names
// (/dev/vg/lv as well as /dev/mapper/vg-lv for a logical volume).
func (v *volume) named(spec string) bool {
	if v.dev == spec {
		return true
	}
	for _, a := range v.aliases {
		if a == spec {
			return true
		}
	}
	return false
}
