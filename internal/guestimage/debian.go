package guestimage

// Debian12NoVirtio is a Debian 12 moved from another hypervisor whose
// default kernel is a local build without virtio_blk; the stock kernel,
// which has it as a module, is still installed but second in the menu.
// MBR, one ext4 partition named by UUID, no cloud-init.
func Debian12NoVirtio() Scenario {
	return Scenario{Name: "debian-12-novirtio", disk: func(work string) (Disk, error) {
		const custom, stock = "6.1.0-xen-custom", "6.1.0-13-amd64"
		entry := func(v string) string {
			return "menuentry 'Debian GNU/Linux, with Linux " + v + "' --class debian --class gnu-linux --class gnu --class os {\n" +
				"\tlinux\t/boot/vmlinuz-" + v + " root=UUID=" + Debian12RootUUID + " ro quiet\n\tinitrd\t/boot/initrd.img-" + v + "\n}\n"
		}
		l := Linux{
			OSRelease: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n",
			UsrMerge:  true,
			Release:   Tree{"etc/debian_version": File("12.2\n")},
			Kernels: []Kernel{
				{Version: custom, Virtio: "none", InitramfsName: "initrd.img-" + custom, Initramfs: Initramfs{Compression: "zstd"}},
				{Version: stock, Virtio: "module", InitramfsName: "initrd.img-" + stock, Initramfs: Initramfs{Compression: "zstd"}, InitramfsVirtio: true},
			},
			Fstab: "UUID=" + Debian12RootUUID + " / ext4 errors=remount-ro 0 1\n",
			Boot:  Tree{"grub/grub.cfg": File("set default=\"0\"\n" + entry(custom) + entry(stock))},
		}
		root, _, err := l.Trees(work, false)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, DiskID: "0x0de6b1a0", Parts: []Part{
			{Size: 24 * MiB, Type: TypeLinux, Bootable: true, FS: FS{Kind: Ext4, UUID: Debian12RootUUID, Tree: root}},
		}}, nil
	}}
}

// Debian12RootUUID is Debian12NoVirtio's root file system UUID.
const Debian12RootUUID = "d3b1a2c4-5e6f-4708-9a1b-2c3d4e5f6a7b"
