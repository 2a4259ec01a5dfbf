package imageformat

import (
	"bytes"
	"strings"
)

const installThenImport = "install the system from it into a VM disk, then import that disk (qcow2, VMDK, VHD or RAW)"

// sniffISO finds the ISO 9660 primary volume descriptor. It runs after the
// VHD footer check but before RAW: hybrid installer ISOs also carry an MBR.
func sniffISO(head, _ []byte, _ int64, _ int) (Result, bool) {
	if !at(head, 0x8001, "CD001") {
		return Result{}, false
	}
	return rejected("ISO", "an ISO is a CD/DVD or installer image, not a disk", installThenImport), true
}

func sniffVDI(head, _ []byte, _ int64, _ int) (Result, bool) {
	if le32(head, 0x40) != 0xbeda107f {
		return Result{}, false
	}
	return rejected("VDI", "VDI (VirtualBox) is not accepted (only RAW, VHD, VMDK and qcow2 are)",
		"convert it: qemu-img convert -O qcow2 disk.vdi disk.qcow2 (or VBoxManage clonemedium disk.vdi disk.vmdk --format VMDK)"), true
}

// sniffText catches text where a disk should be: a web page (a share page
// or a proxy's error page instead of the object) or an OVF descriptor
// (the disk is the .vmdk beside it).
func sniffText(head, _ []byte, _ int64, _ int) (Result, bool) {
	start := bytes.TrimLeft(head[:min(len(head), 1024)], " \t\r\n\ufeff")
	lower := strings.ToLower(string(start))
	switch {
	case strings.HasPrefix(lower, "<!doctype html") || strings.HasPrefix(lower, "<html"):
		return rejected("HTML", "the URL returns a web page, not a disk image",
			"use the object's own URL, like https://<bucket>.<region>.ufileos.com/<key>"), true
	case strings.HasPrefix(lower, "<?xml") && strings.Contains(lower, "envelope") && strings.Contains(lower, "ovf"):
		return rejected("OVF", "this is an OVF descriptor, not a disk: the disk is the .vmdk it names",
			"import the .vmdk from the OVF package as VMDK"), true
	}
	return Result{}, false
}
