package inspect

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/uimport/uimport/filesystem"
)

// inspectLinux reads what the mounted guest says about itself: OS, kernels,
// boot configuration, virtio, fstab device names, cloud-init.
func (s *session) inspectLinux(g *guest) {
	s.stage("reading the OS identity")
	id := identifyOS(g.ns)
	s.osid = id
	if id != nil {
		s.report.OS = &OS{ID: id.ID, VersionID: id.VersionID, PrettyName: id.PrettyName, Arch: id.Arch}
	} else {
		s.uninspectable(Warn, "the OS identity", "no os-release, redhat-release, SuSE-release, lsb-release or debian_version on the root file system")
	}
	family := "other"
	if id != nil {
		family = familyOf(id.ID, id.IDLike)
	}
	if s.expired() {
		return
	}

	s.stage("reading the kernels and boot configuration")
	bc := readBootConfig(g.ns)
	kernels := findKernels(g.ns)
	def, entry := chooseDefault(kernels, bc)
	if def == nil {
		s.uninspectable(Warn, "the kernels", "no /boot/vmlinuz-* and no /lib/modules/* found")
	}
	for _, k := range kernels {
		if s.expired() {
			break
		}
		k.VirtioBlk = virtioBlkState(g.ns, k.Version)
		if k.Image != "" {
			k.Initramfs = findInitramfs(g.ns, k.Version, entryFor(entry, k))
		}
	}
	if def != nil && !s.expired() {
		s.checkVirtio(g, def, family, kernelWithVirtio(kernels))
	}
	for _, k := range kernels {
		s.report.Kernels = append(s.report.Kernels, k.Kernel)
	}
	if s.expired() {
		return
	}
	s.checkDeviceNames(g, bc, entry)
	if !hasCloudInit(g.ns) {
		s.add(noCloudInitFinding())
	}
}

// kernelWithVirtio returns the newest kernel with an image and virtio_blk.
func kernelWithVirtio(kernels []*kernelInfo) string {
	for i := len(kernels) - 1; i >= 0; i-- {
		k := kernels[i]
		if k.Image != "" && (k.VirtioBlk == virtioBuiltin || k.VirtioBlk == virtioModule) {
			return k.Version
		}
	}
	return ""
}

func entryFor(e *bootEntry, k *kernelInfo) *bootEntry {
	if e != nil && e.Version == k.Version {
		return e
	}
	return nil
}

// checkVirtio decides no-virtio and virtio-initramfs for the default kernel.
func (s *session) checkVirtio(g *guest, k *kernelInfo, family, alt string) {
	switch k.VirtioBlk {
	case virtioMissing:
		s.add(noVirtioFinding(family, k.Version, alt))
		return
	case virtioUnknown:
		s.uninspectable(Warn, "the virtio_blk driver of kernel "+q(k.Version), "neither /lib/modules/"+q(k.Version)+" nor /boot/config-"+q(k.Version)+" is on the disk")
		return
	case virtioBuiltin:
		return
	}
	if k.Initramfs == "" {
		s.uninspectable(Warn, "the initramfs of kernel "+q(k.Version), "no /boot/initramfs-*, initrd.img-* or initrd-* for it")
		return
	}
	s.stage("scanning the initramfs")
	f, err := g.ns.Open(strings.TrimPrefix(k.Initramfs, "/"))
	if err != nil {
		s.noteCorrupt(err)
		s.uninspectable(Warn, q(k.Initramfs), err.Error())
		return
	}
	defer f.Close()
	st, err := f.Stat()
	ra, ok := f.(io.ReaderAt)
	if err != nil || !ok {
		s.uninspectable(Warn, q(k.Initramfs), "it cannot be read in place")
		return
	}
	scan, err := scanInitramfs(s.ctx, ra, st.Size())
	switch {
	case scan.HasVirtioBlk:
		yes := true
		k.VirtioInInitramfs = &yes
	case err != nil:
		s.noteCorrupt(err)
		s.uninspectable(Warn, q(k.Initramfs), err.Error())
	default:
		no := false
		k.VirtioInInitramfs = &no
		s.add(virtioInitramfsFinding(family, k.Version, k.Initramfs))
	}
}

// findInitramfs finds the initramfs for kernel kver: the boot entry's, else
// the distributions' usual names.
func findInitramfs(fsys fs.FS, kver string, e *bootEntry) string {
	var names []string
	if e != nil && e.Initrd != "" {
		names = append(names, path.Base(e.Initrd))
	}
	names = append(names, "initramfs-"+kver+".img", "initrd.img-"+kver, "initrd-"+kver+".img", "initrd-"+kver)
	for _, n := range names {
		if n == "." || n == "/" || n == ".." {
			continue
		}
		if st, err := fs.Stat(fsys, "boot/"+n); err == nil && st.Mode().IsRegular() {
			return "/boot/" + n
		}
	}
	return ""
}

// checkDeviceNames finds /dev/sd*, /dev/hd*, /dev/xvd* in fstab and in the
// default kernel command line.
func (s *session) checkDeviceNames(g *guest, bc *bootConfig, def *bootEntry) {
	var uses []deviceUse
	uuidOf := func(dev string) string {
		if v := findVolume(s.vols, dev); v != nil {
			return v.uuid
		}
		return ""
	}
	for _, e := range g.fstab {
		if unstableDevice.MatchString(e.Spec) {
			uses = append(uses, deviceUse{
				Where:  fmt.Sprintf("/etc/fstab line %d (%s)", e.Line, q(e.Mountpoint)),
				Device: e.Spec, UUID: uuidOf(e.Spec),
			})
		}
	}
	entries := bc.Entries
	if def != nil {
		entries = []bootEntry{*def}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		root := rootArg(e.Options)
		if !unstableDevice.MatchString(root) || seen[root+e.Source] {
			continue
		}
		seen[root+e.Source] = true
		uuid := uuidOf(root)
		if uuid == "" {
			uuid = s.part(g.root).UUID
		}
		uses = append(uses, deviceUse{Where: "root= in " + q(e.Source), Device: root, UUID: uuid})
	}
	if len(uses) > 0 {
		s.add(deviceNamesFinding(uses))
	}
}

func hasCloudInit(fsys fs.FS) bool {
	for _, p := range []string{"usr/bin/cloud-init", "bin/cloud-init", "etc/cloud/cloud.cfg"} {
		if _, err := fs.Stat(fsys, p); err == nil {
			return true
		}
	}
	return false
}

// noRoot explains a disk with no Linux root that can be read.
func (s *session) noRoot(vols []*volume) {
	var ntfs, btrfs, luks, other *volume
	for _, v := range vols {
		switch v.kind {
		case filesystem.NTFS:
			if ntfs == nil || v.size > ntfs.size {
				ntfs = v
			}
		case filesystem.Btrfs:
			btrfs = v
		case filesystem.LUKS:
			luks = v
		case filesystem.Unknown, filesystem.Swap, filesystem.VFAT, filesystem.LVM2PV, filesystem.Zero:
		default:
			other = v
		}
	}
	switch {
	case ntfs != nil:
		s.windows = true
		s.report.Root = &Root{FS: string(ntfs.kind), Device: ntfs.dev}
		s.report.OS = &OS{ID: "windows"}
		s.add(windowsFinding())
	case btrfs != nil:
		s.report.Root = &Root{FS: string(btrfs.kind), Device: btrfs.dev}
		s.add(filesystemFinding(string(btrfs.kind), btrfs.dev))
		s.uninspectable(Warn, "the guest", "its root file system is btrfs, which is recognised but not read")
	case luks != nil:
		s.add(encryptedFinding("The partition " + luks.dev + " is LUKS-encrypted"))
	case other != nil:
		s.uninspectable(Warn, "the guest", fmt.Sprintf("%s on %s is recognised but not read", other.kind, other.dev))
	default:
		s.uninspectable(Warn, "the guest", "no partition holds a Linux root file system (ext2/3/4 or XFS with /etc)")
	}
}
