package inspect

import (
	"fmt"
	"strings"

	"github.com/uimport/uimport/internal/safetext"
)

// Finding ids: stable; scripts and the wizard match on them.
const (
	IDGPT             = "gpt"
	IDFilesystem      = "filesystem"
	IDLVM             = "lvm"
	IDNoVirtio        = "no-virtio"
	IDVirtioInitramfs = "virtio-initramfs"
	IDDeviceNames     = "device-names"
	IDOSMismatch      = "os-mismatch"
	IDBackingFile     = "backing-file"
	IDEncrypted       = "encrypted"
	IDCorrupt         = "corrupt"
	IDSize            = "size"
	IDNoCloudInit     = "no-cloud-init"
	IDWindows         = "windows"
	IDUninspectable   = "uninspectable"
	// IDFormat: the declared Format is not what the image is (block).
	IDFormat = "format"
	// IDOSName: the declared OsName names another version or word size
	// than the disk holds (warn).
	IDOSName = "os-name"
)

// sizeAdvised is the system-disk size the import guide recommends at most.
const sizeAdvised = 50 * 1000 * 1000 * 1000

// q makes text from the image safe to put in a message: no control
// characters, bounded length.
func q(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return safetext.Escape(s)
}

// virtioDrivers are the modules a KVM guest needs early.
const virtioDrivers = "virtio_blk virtio_pci virtio_net virtio_scsi"

func gptFinding(parts []Partition, windows bool) Finding {
	msg := "The disk has a GPT partition table; UHost imports MBR disks only (GPT is documented as unsupported)."
	var keep []string
	for _, p := range parts {
		if p.Number == 0 || p.VolumeGroup != "" {
			continue
		}
		// The BIOS boot, EFI system and Microsoft reserved partitions have
		// no place on an MBR disk booted by BIOS.
		if p.TypeName == "bios-boot" || p.TypeName == "efi" || p.TypeName == "windows-reserved" {
			continue
		}
		keep = append(keep, fmt.Sprint(p.Number))
	}
	boot := "boot it once and run grub2-install /dev/vda (grub-install /dev/vda && update-grub on Debian/Ubuntu)"
	if windows {
		boot = `from a Windows recovery prompt run bcdboot C:\Windows /s C: /f BIOS and mark C: active (diskpart: active)`
	}
	var fix string
	switch {
	case len(keep) > 4:
		fix = fmt.Sprintf("The disk has %d data partitions and MBR holds 4 primary ones: move the guest onto a new MBR disk "+
			"(partition it with fdisk, copy the files, fix /etc/fstab) and make it boot with BIOS.", len(keep))
	case len(keep) == 0:
		fix = "Convert it to MBR (sgdisk --gpttombr=N disk.raw, with the partitions to keep), then " + boot + "."
	default:
		fix = "Convert a raw copy to MBR, keeping partitions " + strings.Join(keep, ", ") + ": qemu-img convert -O raw IMAGE disk.raw && sgdisk --gpttombr=" +
			strings.Join(keep, ":") + " disk.raw; then " + boot + "."
	}
	return Finding{ID: IDGPT, Severity: Block, Message: msg, Fix: fix}
}

func filesystemFinding(kind, device string) Finding {
	return Finding{ID: IDFilesystem, Severity: Warn,
		Message: fmt.Sprintf("The root file system (%s) is %s; the import guide asks for ext3 or ext4.", q(device), q(kind)),
		Fix:     "Often it still works; if the image ends Unavailable, copy the root onto an ext4 partition (rsync -aAXH), update /etc/fstab and the boot loader."}
}

func lvmFinding(device string) Finding {
	return Finding{ID: IDLVM, Severity: Warn,
		Message: fmt.Sprintf("The root file system is on LVM (%s); the import guide expects plain partitions.", q(device)),
		Fix:     "Often it still boots; if the image ends Unavailable, move the root onto a plain ext4 partition and regenerate the initramfs."}
}

// rebuildInitramfs is the command that adds the virtio drivers to kver's
// initramfs on this family.
func rebuildInitramfs(family, kver, initramfs string) string {
	switch family {
	case "debian":
		return fmt.Sprintf("printf '%%s\\n' %s >> /etc/initramfs-tools/modules && update-initramfs -u -k %s",
			virtioDrivers, q(kver))
	default:
		if initramfs == "" {
			initramfs = "/boot/initramfs-" + kver + ".img"
		}
		return fmt.Sprintf("dracut -f --add-drivers %q %s %s", virtioDrivers, q(initramfs), q(kver))
	}
}

// noVirtioFinding: alt is an installed kernel that has virtio_blk ("" when
// none has).
func noVirtioFinding(family, kver, alt string) Finding {
	msg := fmt.Sprintf("The default kernel %s has no virtio_blk driver, built in or as a module: on UHost it will not find its disk.", q(kver))
	if alt != "" {
		set := "set GRUB_DEFAULT to its menu entry in /etc/default/grub and run update-grub"
		if family == "rhel" || family == "suse" {
			set = "grubby --set-default /boot/vmlinuz-" + q(alt)
		}
		return Finding{ID: IDNoVirtio, Severity: Block, Message: msg,
			Fix: fmt.Sprintf("Kernel %s has virtio_blk: make it the default inside the guest (%s), and make sure its initramfs includes it: %s.",
				q(alt), set, rebuildInitramfs(family, alt, ""))}
	}
	install := "install the distribution's standard kernel"
	switch family {
	case "rhel":
		install = "install the distribution's kernel (yum install kernel / dnf install kernel)"
	case "debian":
		install = "install a generic kernel (apt install linux-image-generic on Ubuntu, linux-image-amd64 on Debian)"
	case "suse":
		install = "install kernel-default (zypper install kernel-default)"
	}
	return Finding{ID: IDNoVirtio, Severity: Block, Message: msg,
		Fix: "Inside the guest, " + install + ", make it the default, and rebuild its initramfs: " + rebuildInitramfs(family, "<kver>", "") + "."}
}

func virtioInitramfsFinding(family, kver, initramfs string) Finding {
	return Finding{ID: IDVirtioInitramfs, Severity: Warn,
		Message: fmt.Sprintf("virtio_blk is a module of the default kernel %s but is not in its initramfs %s: the host may stop at an emergency shell.", q(kver), q(initramfs)),
		Fix:     "Inside the guest: " + rebuildInitramfs(family, kver, initramfs)}
}

// deviceUse is one place the guest names its disk by a kernel name.
type deviceUse struct {
	Where  string // "/etc/fstab line 3 (/)", "root= in /boot/grub2/grub.cfg"
	Device string
	UUID   string // of the file system it means, when known
}

func deviceNamesFinding(uses []deviceUse) Finding {
	var where, fixes []string
	for _, u := range uses {
		where = append(where, fmt.Sprintf("%s names %s", u.Where, q(u.Device)))
		if u.UUID != "" {
			fixes = append(fixes, fmt.Sprintf("%s → UUID=%s", q(u.Device), q(u.UUID)))
		}
	}
	dev := uses[0].Device
	msg := fmt.Sprintf("%s; on a virtio disk %s is %s, so the guest may not find its file systems.",
		strings.Join(where, "; "), q(dev), q(virtioName(dev)))
	fix := "Use UUID= (from blkid) instead of device names in /etc/fstab and root="
	if len(fixes) > 0 {
		fix = "Use UUID= instead of device names in /etc/fstab and root= (" + strings.Join(fixes, ", ") + ")"
	}
	return Finding{ID: IDDeviceNames, Severity: Warn, Message: msg, Fix: fix + "; " + bootConfigAdvice(uses) + "."}
}

// bootConfigAdvice says how to change root= where it was found.
func bootConfigAdvice(uses []deviceUse) string {
	for _, u := range uses {
		switch {
		case strings.Contains(u.Where, "grub.conf") || strings.Contains(u.Where, "menu.lst"):
			return "edit the kernel lines of /boot/grub/grub.conf"
		case strings.Contains(u.Where, "loader/entries"):
			return "change root= with grubby --update-kernel=ALL --args=root=UUID=<uuid> (or in grubenv's kernelopts)"
		case strings.Contains(u.Where, "grub.cfg"):
			return "set GRUB_DISABLE_LINUX_UUID=false in /etc/default/grub and regenerate grub.cfg (grub2-mkconfig -o /boot/grub2/grub.cfg, or update-grub)"
		}
	}
	return "keep root= on the kernel line as UUID= too"
}

func osMismatchFinding(declared, detected, pretty string, s *Suggestion) Finding {
	fix := fmt.Sprintf("Declare it as %s", detected)
	if s != nil && s.OsName != "" {
		fix = fmt.Sprintf("Use --os-type %s --os-name '%s'", s.OsType, q(s.OsName))
	}
	return Finding{ID: IDOSMismatch, Severity: Block,
		Message: fmt.Sprintf("Declared OS type %s, but the disk holds %s (%s): the cloud would run the wrong set-up scripts.", q(declared), detected, q(pretty)),
		Fix:     fix + " (or --skip-check if you are sure)."}
}

func backingFileFinding(kind, name string) Finding {
	return Finding{ID: IDBackingFile, Severity: Block,
		Message: fmt.Sprintf("The image needs a %s (%s) that will not be uploaded with it.", kind, q(name)),
		Fix:     "Make a standalone copy where that file is: qemu-img convert -O qcow2 IMAGE standalone.qcow2"}
}

func encryptedFinding(what string) Finding {
	return Finding{ID: IDEncrypted, Severity: Block,
		Message: what + ": the cloud cannot unlock it at boot.",
		Fix:     "Import an unencrypted copy (qemu-img convert with --object secret,... to a plain image; cryptsetup for a LUKS partition)."}
}

func corruptFinding(what string) Finding {
	return Finding{ID: IDCorrupt, Severity: Block,
		Message: "The image is damaged: " + q(what) + ".",
		Fix:     "Check it with qemu-img check IMAGE, then export or copy it again."}
}

func sizeFinding(virtual int64) Finding {
	return Finding{ID: IDSize, Severity: Warn,
		Message: fmt.Sprintf("The virtual disk is %.1f GB; the import guide recommends a system disk of about 50 GB or less.", float64(virtual)/1e9),
		Fix:     "Accept a slower import, or shrink the file system and last partition, then qemu-img resize --shrink IMAGE <size>."}
}

func noCloudInitFinding() Finding {
	return Finding{ID: IDNoCloudInit, Severity: Info,
		Message: "cloud-init is not installed: the console's password, SSH key and network settings may not be applied at first boot.",
		Fix:     "Install it in the guest if you want them (yum/dnf/apt/zypper install cloud-init)."}
}

func windowsFinding() Finding {
	return Finding{ID: IDWindows, Severity: Info,
		Message: "A Windows disk: its NTFS is not read, so the version and drivers were not checked.",
		Fix:     "Install the virtio-win drivers (viostor, netkvm) before exporting, or it boots with IDE; pick the OS name yourself."}
}

func uninspectableFinding(sev Severity, what, why string) Finding {
	return Finding{ID: IDUninspectable, Severity: sev,
		Message: fmt.Sprintf("Could not read %s: %s.", what, q(why)),
		Fix:     "Check that part of the guest yourself; the rest of the report stands."}
}

func formatFinding(declared, actual string) Finding {
	return Finding{ID: IDFormat, Severity: Block,
		Message: fmt.Sprintf("Declared format %s, but the image is %s: the import would fail.", q(declared), actual),
		Fix:     "Use --format " + actual + "."}
}

func osNameFinding(declared string, s *Suggestion, pretty string) Finding {
	return Finding{ID: IDOSName, Severity: Warn,
		Message: fmt.Sprintf("Declared OS name '%s', but the disk holds %s.", q(declared), q(pretty)),
		Fix:     fmt.Sprintf("Use --os-name '%s'.", q(s.OsName))}
}
