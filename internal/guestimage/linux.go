package guestimage

import (
	"fmt"
	"strings"
)

// Linux describes the files of a Linux guest that an inspection reads.
type Linux struct {
	// OSRelease is os-release's text; "" for a guest without one (CentOS 6).
	OSRelease string
	// Release holds other release files (etc/redhat-release ...).
	Release  Tree
	Bits     int  // of the userland: 64 (default) or 32
	UsrMerge bool // bin, sbin, lib, lib64 are links into /usr; os-release lives in /usr/lib
	Kernels  []Kernel
	Fstab    string
	// Boot holds the boot loader's files, relative to /boot
	// (grub2/grub.cfg, grub2/grubenv, loader/entries/*.conf).
	Boot      Tree
	CloudInit bool
	// Extra files for the root file system.
	Extra Tree
}

// Kernel is one installed kernel.
type Kernel struct {
	Version string
	// Virtio says where virtio_blk is: "module", "builtin" or "none".
	Virtio    string
	ModuleExt string // ".ko" (default), ".ko.xz", ".ko.zst", ".ko.gz"
	// Initramfs is built for the kernel and named InitramfsName
	// (default initramfs-<version>.img); Compression "" means no initramfs.
	Initramfs     Initramfs
	InitramfsName string
	// InitramfsVirtio puts virtio_blk in the initramfs.
	InitramfsVirtio bool
}

// Trees returns the root file system's tree and /boot's. With bootApart
// /boot is a tree of its own and the root has an empty /boot; otherwise
// boot is nil and its files are in root.
func (l Linux) Trees(work string, bootApart bool) (root, boot Tree, err error) {
	root, boot = Tree{}, Tree{}
	usr := ""
	if l.UsrMerge {
		usr = "usr/"
		for _, d := range []string{"bin", "sbin", "lib", "lib64"} {
			root[d] = Link("usr/" + d)
		}
	}
	bits := l.Bits
	if bits == 0 {
		bits = 64
	}
	if l.UsrMerge {
		root["usr/bin/sh"] = Link("dash")
		root["usr/bin/dash"] = Bytes(ELF(bits))
	} else {
		root["bin/sh"] = Link("bash")
		root["bin/bash"] = Bytes(ELF(bits))
	}
	root["usr/bin/ls"] = Bytes(ELF(bits))
	root[usr+"sbin/init"] = Bytes(ELF(bits))
	if bits == 64 {
		root[usr+"lib64/ld-linux-x86-64.so.2"] = Bytes(ELF(64))
	} else {
		root[usr+"lib/ld-linux.so.2"] = Bytes(ELF(32))
	}
	switch {
	case l.OSRelease == "":
	case l.UsrMerge:
		root["usr/lib/os-release"] = File(l.OSRelease)
		root["etc/os-release"] = Link("../usr/lib/os-release")
	default:
		root["etc/os-release"] = File(l.OSRelease)
	}
	root.Merge("", l.Release)
	root["etc/fstab"] = File(l.Fstab)
	root["etc/hostname"] = File("localhost\n")
	if l.CloudInit {
		root["usr/bin/cloud-init"] = File("#!/usr/bin/python3\n")
		root["etc/cloud/cloud.cfg"] = File("users:\n - default\n")
	}
	root.Merge("", l.Extra)
	boot.Merge("", l.Boot)
	for _, k := range l.Kernels {
		if err := k.add(work, root, boot, usr); err != nil {
			return nil, nil, err
		}
	}
	if !bootApart {
		root.Merge("boot", boot)
		return root, nil, nil
	}
	root["boot"] = Dir()
	return root, boot, nil
}

func (k Kernel) add(work string, root, boot Tree, usr string) error {
	ext := k.ModuleExt
	if ext == "" {
		ext = ".ko"
	}
	mod := usr + "lib/modules/" + k.Version + "/"
	boot["vmlinuz-"+k.Version] = Bytes(append([]byte("MZ\x00\x00HdrS"), make([]byte, 120)...))
	config := "CONFIG_64BIT=y\nCONFIG_VIRTIO=y\nCONFIG_VIRTIO_PCI=y\n"
	builtin := "kernel/drivers/char/mem.ko\nkernel/fs/ext4/ext4.ko\n"
	dep := "kernel/drivers/block/loop" + ext + ":\n"
	loop, err := Module("loop" + ext)
	if err != nil {
		return err
	}
	root[mod+"kernel/drivers/block/loop"+ext] = Bytes(loop)
	switch k.Virtio {
	case "builtin":
		config += "CONFIG_VIRTIO_BLK=y\n"
		builtin += "kernel/drivers/block/virtio_blk.ko\n"
	case "module":
		config += "CONFIG_VIRTIO_BLK=m\n"
		dep += "kernel/drivers/block/virtio_blk" + ext + ": kernel/drivers/virtio/virtio_ring" + ext + "\n"
		m, err := Module("virtio_blk" + ext)
		if err != nil {
			return err
		}
		root[mod+"kernel/drivers/block/virtio_blk"+ext] = Bytes(m)
	case "none":
		config += "# CONFIG_VIRTIO_BLK is not set\n"
	default:
		return fmt.Errorf("guestimage: kernel %s: Virtio %q", k.Version, k.Virtio)
	}
	boot["config-"+k.Version] = File(config)
	root[mod+"modules.builtin"] = File(builtin)
	root[mod+"modules.dep"] = File(dep)
	if k.Initramfs.Compression == "" {
		return nil
	}
	ir := k.Initramfs
	files := Tree{
		"init":                    Link("usr/lib/systemd/systemd"),
		"usr/lib/systemd/systemd": Bytes(ELF(64)),
		"etc/os-release":          File("NAME=initrd\n"),
		"usr/lib/modules/" + k.Version + "/kernel/drivers/block/loop" + ext: Bytes(loop),
		"usr/lib/modules/" + k.Version + "/modules.builtin":                 File(builtin),
	}
	if k.InitramfsVirtio && k.Virtio == "module" {
		m, err := Module("virtio_blk" + ext)
		if err != nil {
			return err
		}
		files["usr/lib/modules/"+k.Version+"/kernel/drivers/block/virtio_blk"+ext] = Bytes(m)
	}
	files.Merge("", ir.Files)
	ir.Files = files
	data, err := ir.Build(work)
	if err != nil {
		return err
	}
	name := k.InitramfsName
	if name == "" {
		name = "initramfs-" + k.Version + ".img"
	}
	boot[strings.TrimPrefix(name, "/")] = Bytes(data)
	return nil
}
