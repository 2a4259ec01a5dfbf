package guestimage

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// makePV builds an LVM physical volume of size bytes holding vg, with each
// logical volume's file system written at its extents. lvm needs a block
// device, so the file is attached to a loop device for the few commands
// that write the metadata; nothing is activated (--driverloaded n) and the
// host's LVM configuration, archives and device list are left alone.
func makePV(work string, size int64, vg VG) (string, error) {
	if os.Geteuid() != 0 {
		return "", fmt.Errorf("guestimage: an LVM disk needs root for losetup (CI runs as root)")
	}
	dir, err := os.MkdirTemp(work, "pv-")
	if err != nil {
		return "", err
	}
	pv := filepath.Join(dir, "pv.img")
	if err := truncate(pv, size); err != nil {
		return "", err
	}
	out, err := output("losetup", "--find", "--show", pv)
	if err != nil {
		return "", err
	}
	loop := strings.TrimSpace(string(out))
	defer run("losetup", "-d", loop)
	config := fmt.Sprintf(`devices{filter=["a|^%s$|","r|.*|"] global_filter=["a|^%s$|","r|.*|"] obtain_device_list_from_udev=0 use_devicesfile=0} `+
		`activation{udev_sync=0 udev_rules=0} backup{backup=0 archive=0}`, loop, loop)
	lvm := func(args ...string) ([]byte, error) {
		return output("lvm", append([]string{args[0], "--driverloaded", "n", "--nolocking", "--config", config}, args[1:]...)...)
	}
	if _, err := lvm("pvcreate", "-y", "-ff", loop); err != nil {
		return "", err
	}
	if _, err := lvm("vgcreate", "-y", vg.Name, loop); err != nil {
		return "", err
	}
	for _, lv := range vg.LVs {
		if _, err := lvm("lvcreate", "-y", "-an", "-Zn", "-Wn", "-L", fmt.Sprintf("%db", roundMiB(lv.Size)), "-n", lv.Name, vg.Name); err != nil {
			return "", err
		}
	}
	peStart, err := lvmNumber(lvm("pvs", "--noheadings", "--units", "b", "--nosuffix", "-o", "pe_start", loop))
	if err != nil {
		return "", err
	}
	extent, err := lvmNumber(lvm("vgs", "--noheadings", "--units", "b", "--nosuffix", "-o", "vg_extent_size", vg.Name))
	if err != nil {
		return "", err
	}
	for _, lv := range vg.LVs {
		if lv.FS.Kind == NoFS {
			continue
		}
		// "/dev/loop3:0-1": the LV's one linear segment, in extents.
		ranges, err := lvm("lvs", "--noheadings", "-o", "seg_pe_ranges", vg.Name+"/"+lv.Name)
		if err != nil {
			return "", err
		}
		_, r, _ := strings.Cut(strings.TrimSpace(string(ranges)), ":")
		first, _, _ := strings.Cut(r, "-")
		pe, err := strconv.ParseInt(first, 10, 64)
		if err != nil {
			return "", fmt.Errorf("guestimage: lvs ranges %q: %v", ranges, err)
		}
		fs := lv.FS
		fs.Size = roundMiB(lv.Size)
		img, err := fs.Make(work)
		if err != nil {
			return "", err
		}
		if err := place(pv, img, peStart+pe*extent); err != nil {
			return "", err
		}
		os.Remove(img)
	}
	return pv, nil
}

func lvmNumber(out []byte, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
}
