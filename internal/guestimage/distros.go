package guestimage

const ubuntuOSRelease = `PRETTY_NAME="Ubuntu 22.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.3 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
UBUNTU_CODENAME=jammy
`

// ubuntu2204 is Ubuntu's 22.04 cloud image: usr-merged, virtio_blk built
// into the generic kernel, zstd initramfs after an early microcode cpio.
func ubuntu2204(work string) (root Tree, err error) {
	const kv = "5.15.0-91-generic"
	l := Linux{
		OSRelease: ubuntuOSRelease, UsrMerge: true, CloudInit: true,
		Release: Tree{"etc/debian_version": File("bookworm/sid\n"), "etc/lsb-release": File("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n")},
		Kernels: []Kernel{
			{Version: "5.15.0-88-generic", Virtio: "builtin", ModuleExt: ".ko", InitramfsName: "initrd.img-5.15.0-88-generic",
				Initramfs: Initramfs{Compression: "zstd", Microcode: true}},
			{Version: kv, Virtio: "builtin", ModuleExt: ".ko", InitramfsName: "initrd.img-" + kv,
				Initramfs: Initramfs{Compression: "zstd", Microcode: true}},
		},
		Fstab: "LABEL=cloudimg-rootfs\t/\t ext4\tdiscard,errors=remount-ro\t0 1\nLABEL=UEFI\t/boot/efi\tvfat\tumask=0077\t0 1\n",
		Boot: Tree{
			"vmlinuz":    Link("vmlinuz-" + kv),
			"initrd.img": Link("initrd.img-" + kv),
			"grub/grub.cfg": File(`set default="0"
menuentry 'Ubuntu' --class ubuntu --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-simple-` + UbuntuRootUUID + `' {
	recordfail
	linux	/boot/vmlinuz-` + kv + ` root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0
	initrd	/boot/initrd.img-` + kv + `
}
submenu 'Advanced options for Ubuntu' $menuentry_id_option 'gnulinux-advanced-` + UbuntuRootUUID + `' {
	menuentry 'Ubuntu, with Linux 5.15.0-88-generic' --class ubuntu $menuentry_id_option 'gnulinux-5.15.0-88-generic-advanced' {
		linux	/boot/vmlinuz-5.15.0-88-generic root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0
		initrd	/boot/initrd.img-5.15.0-88-generic
	}
}
`),
			"grub/grubenv": File("# GRUB Environment Block\n" + padGrubenv()),
		},
	}
	root, _, err = l.Trees(work, false)
	return root, err
}

func padGrubenv() string {
	b := make([]byte, 1024-len("# GRUB Environment Block\n"))
	for i := range b {
		b[i] = '#'
	}
	return string(b)
}

// Ubuntu2204GPT is laid out as Ubuntu's cloud image: GPT with the BIOS boot
// partition 14 and the ESP 15 before the root, partition 1.
func Ubuntu2204GPT() Scenario {
	return Scenario{Name: "ubuntu-22.04-gpt", disk: func(work string) (Disk, error) {
		root, err := ubuntu2204(work)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: GPT, Parts: []Part{
			{Number: 14, Size: 4 * MiB, Type: TypeBIOSBoot},
			{Number: 15, Size: 34 * MiB, Type: TypeEFI, FS: FS{Kind: VFAT, Label: "UEFI",
				Tree: Tree{"EFI/ubuntu/grub.cfg": File("search.fs_uuid " + UbuntuRootUUID + " root\nconfigfile ($root)/boot/grub/grub.cfg\n")}}},
			{Number: 1, Size: 40 * MiB, Type: TypeLinux, FS: FS{Kind: Ext4, UUID: UbuntuRootUUID, Label: "cloudimg-rootfs", Tree: root}},
		}}, nil
	}}
}

// Ubuntu2204MBR is the same guest on one MBR partition: nothing to fix.
func Ubuntu2204MBR() Scenario {
	return Scenario{Name: "ubuntu-22.04-mbr", disk: func(work string) (Disk, error) {
		root, err := ubuntu2204(work)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, Parts: []Part{
			{Size: 40 * MiB, Type: TypeLinux, Bootable: true, FS: FS{Kind: Ext4, UUID: UbuntuRootUUID, Label: "cloudimg-rootfs", Tree: root}},
		}}, nil
	}}
}

const rocky9Machine = "8f1e6c2a9b3d4e5f8a7b6c5d4e3f2a1b"

// Rocky9GPT is Rocky Linux 9.3's cloud layout: GPT, BIOS boot, ESP, XFS
// /boot apart with BLS entries and grubenv, XFS root; virtio_blk a .ko.xz
// module inside a zstd initramfs.
func Rocky9GPT() Scenario {
	return Scenario{Name: "rocky-9-gpt", disk: func(work string) (Disk, error) {
		const kv, old = "5.14.0-362.8.1.el9_3.x86_64", "5.14.0-284.11.1.el9_2.x86_64"
		bls := func(v string) Entry {
			return File("title Rocky Linux (" + v + ") 9.3 (Blue Onyx)\nversion " + v + "\nlinux /vmlinuz-" + v +
				"\ninitrd /initramfs-" + v + ".img $tuned_initrd\noptions root=UUID=" + Rocky9RootUUID +
				" console=tty0 console=ttyS0,115200n8 no_timer_check net.ifnames=0\ngrub_users $grub_users\ngrub_arg --unrestricted\ngrub_class rocky\n")
		}
		l := Linux{
			OSRelease: `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
`, UsrMerge: true, CloudInit: true,
			Release: Tree{"etc/redhat-release": Link("rocky-release"), "etc/rocky-release": File("Rocky Linux release 9.3 (Blue Onyx)\n")},
			Kernels: []Kernel{
				{Version: old, Virtio: "module", ModuleExt: ".ko.xz", Initramfs: Initramfs{Compression: "zstd", Microcode: true}, InitramfsVirtio: true},
				{Version: kv, Virtio: "module", ModuleExt: ".ko.xz", Initramfs: Initramfs{Compression: "zstd", Microcode: true}, InitramfsVirtio: true},
			},
			Fstab: "UUID=" + Rocky9RootUUID + " /                       xfs     defaults        0 0\nUUID=" + Rocky9BootUUID +
				" /boot                   xfs     defaults        0 0\nUUID=7B77-95E7          /boot/efi               vfat    defaults,uid=0,gid=0,umask=077,shortname=winnt 0 2\n",
			Boot: Tree{
				"loader/entries/" + rocky9Machine + "-" + kv + ".conf":  bls(kv),
				"loader/entries/" + rocky9Machine + "-" + old + ".conf": bls(old),
				"vmlinuz-0-rescue-" + rocky9Machine:                     Bytes([]byte("MZ rescue")),
				"grub2/grub.cfg":                                        File("set default=\"${saved_entry}\"\ninsmod blscfg\nblscfg\n"),
				"grub2/grubenv":                                         File("# GRUB Environment Block\nsaved_entry=" + rocky9Machine + "-" + kv + "\nboot_success=1\n" + padGrubenv()[:900]),
			},
		}
		root, boot, err := l.Trees(work, true)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: GPT, Parts: []Part{
			{Size: 1 * MiB, Type: TypeBIOSBoot},
			{Size: 34 * MiB, Type: TypeEFI, FS: FS{Kind: VFAT, UUID: "7B77-95E7"}},
			{Size: xfsMin, Type: TypeLinux, FS: FS{Kind: XFS, UUID: Rocky9BootUUID, Label: "boot", Tree: boot}},
			{Size: xfsMin, Type: TypeLinux, FS: FS{Kind: XFS, UUID: Rocky9RootUUID, Label: "root", Tree: root}},
		}}, nil
	}}
}

// Rocky8LVM is a Rocky Linux 8.9 install moved from VMware: MBR, XFS /boot,
// rl/root (XFS) and rl/swap on LVM, BLS entries with $kernelopts from
// grubenv, and a host-only xz initramfs without virtio_blk.
func Rocky8LVM() Scenario {
	return Scenario{Name: "rocky-8-lvm", disk: func(work string) (Disk, error) {
		const kv = "4.18.0-513.5.1.el8_9.x86_64"
		const machine = "3c5a7e9b1d2f4a6c8e0b2d4f6a8c0e2b"
		l := Linux{
			OSRelease: "NAME=\"Rocky Linux\"\nVERSION=\"8.9 (Green Obsidian)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"8.9\"\nPRETTY_NAME=\"Rocky Linux 8.9 (Green Obsidian)\"\n",
			UsrMerge:  true,
			Release:   Tree{"etc/redhat-release": Link("rocky-release"), "etc/rocky-release": File("Rocky Linux release 8.9 (Green Obsidian)\n")},
			Kernels: []Kernel{{Version: kv, Virtio: "module", ModuleExt: ".ko.xz",
				Initramfs: Initramfs{Compression: "xz", Microcode: true}, InitramfsVirtio: false}},
			Fstab: "/dev/mapper/rl-root     /                       xfs     defaults        0 0\nUUID=" + Rocky8BootUUID +
				" /boot                   xfs     defaults        0 0\n/dev/mapper/rl-swap     none                    swap    defaults        0 0\n",
			Boot: Tree{
				"loader/entries/" + machine + "-" + kv + ".conf": File("title Rocky Linux (" + kv + ") 8.9 (Green Obsidian)\nversion " + kv +
					"\nlinux /vmlinuz-" + kv + "\ninitrd /initramfs-" + kv + ".img $tuned_initrd\noptions $kernelopts $tuned_params\nid rocky-20231120-" + kv + "\n"),
				"grub2/grub.cfg": File("set default=\"${saved_entry}\"\nif [ -z \"${kernelopts}\" ]; then\n  set kernelopts=\"root=/dev/mapper/rl-root ro \"\nfi\ninsmod blscfg\nblscfg\n"),
				"grub2/grubenv": File("# GRUB Environment Block\nsaved_entry=" + machine + "-" + kv +
					"\nkernelopts=root=/dev/mapper/rl-root ro crashkernel=auto resume=/dev/mapper/rl-swap rd.lvm.lv=rl/root rd.lvm.lv=rl/swap rhgb quiet \n" + padGrubenv()[:700]),
			},
		}
		root, boot, err := l.Trees(work, true)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, Parts: []Part{
			{Size: xfsMin, Type: TypeLinux, Bootable: true, FS: FS{Kind: XFS, UUID: Rocky8BootUUID, Tree: boot}},
			{Size: xfsMin + 40*MiB, Type: TypeLVM, LVM: &VG{Name: "rl", LVs: []LV{
				{Name: "swap", Size: 16 * MiB, FS: FS{Kind: Swap}},
				{Name: "root", Size: xfsMin, FS: FS{Kind: XFS, Tree: root}},
			}}},
		}}, nil
	}}
}

// CentOS7XFSv4 is CentOS 7's cloud image: one XFS v4 partition on MBR,
// grub2 menu entries chosen by grubenv's saved_entry title, two kernels.
func CentOS7XFSv4() Scenario {
	return Scenario{Name: "centos-7-xfs-v4", disk: func(work string) (Disk, error) {
		const kv, old = "3.10.0-1160.el7.x86_64", "3.10.0-1062.el7.x86_64"
		entry := func(v string) string {
			return "menuentry 'CentOS Linux (" + v + ") 7 (Core)' --class centos --class gnu-linux --class gnu --class os --unrestricted $menuentry_id_option 'gnulinux-" + v + "-advanced-" + CentOS7RootUUID + "' {\n" +
				"\tload_video\n\tset gfxpayload=keep\n\tinsmod xfs\n\tlinux16 /boot/vmlinuz-" + v + " root=UUID=" + CentOS7RootUUID + " ro console=tty0 console=ttyS0,115200n8\n" +
				"\tinitrd16 /boot/initramfs-" + v + ".img\n}\n"
		}
		l := Linux{
			OSRelease: "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n",
			Release: Tree{"etc/centos-release": File("CentOS Linux release 7.9.2009 (Core)\n"), "etc/redhat-release": Link("centos-release"),
				"etc/system-release": Link("centos-release")},
			CloudInit: true,
			Kernels: []Kernel{
				{Version: old, Virtio: "module", ModuleExt: ".ko.xz", Initramfs: Initramfs{Compression: "gzip", Microcode: true}, InitramfsVirtio: true},
				{Version: kv, Virtio: "module", ModuleExt: ".ko.xz", Initramfs: Initramfs{Compression: "gzip", Microcode: true}, InitramfsVirtio: true},
			},
			Fstab: "#\n# /etc/fstab\n#\nUUID=" + CentOS7RootUUID + " /                       xfs     defaults        0 0\n",
			Boot: Tree{
				"grub2/grub.cfg": File("set default=\"${saved_entry}\"\n" + entry(old) + entry(kv)),
				"grub2/grubenv":  File("# GRUB Environment Block\nsaved_entry=CentOS Linux (" + kv + ") 7 (Core)\n" + padGrubenv()[:900]),
			},
		}
		root, _, err := l.Trees(work, false)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, Parts: []Part{
			{Size: xfsMin, Type: TypeLinux, Bootable: true, FS: FS{Kind: XFSv4, UUID: CentOS7RootUUID, Tree: root}},
		}}, nil
	}}
}

// CentOS6 is a 32-bit CentOS 6.10 from an old hypervisor: ext3 root, swap
// in a logical partition, no os-release, legacy grub.conf and fstab naming
// /dev/sda, a gzip initramfs without virtio_blk, no cloud-init.
func CentOS6() Scenario {
	return Scenario{Name: "centos-6", disk: func(work string) (Disk, error) {
		const kv = "2.6.32-754.el6.i686"
		l := Linux{
			Bits:    32,
			Release: Tree{"etc/centos-release": File("CentOS release 6.10 (Final)\n"), "etc/redhat-release": Link("centos-release")},
			Kernels: []Kernel{{Version: kv, Virtio: "module", ModuleExt: ".ko",
				Initramfs: Initramfs{Compression: "gzip"}, InitramfsVirtio: false}},
			Fstab: "/dev/sda1               /                       ext3    defaults        1 1\n/dev/sda5               swap                    swap    defaults        0 0\n" +
				"tmpfs                   /dev/shm                tmpfs   defaults        0 0\nproc                    /proc                   proc    defaults        0 0\n",
			Boot: Tree{
				"grub/grub.conf": File("default=0\ntimeout=5\nsplashimage=(hd0,0)/boot/grub/splash.xpm.gz\nhiddenmenu\ntitle CentOS 6 (" + kv + ")\n\troot (hd0,0)\n\tkernel /boot/vmlinuz-" + kv +
					" ro root=/dev/sda1 rd_NO_LUKS LANG=en_US.UTF-8 rd_NO_MD SYSFONT=latarcyrheb-sun16 crashkernel=auto KEYBOARDTYPE=pc KEYTABLE=us rd_NO_DM rhgb quiet\n\tinitrd /boot/initramfs-" + kv + ".img\n"),
				"grub/menu.lst": Link("./grub.conf"),
			},
			Extra: Tree{"etc/grub.conf": Link("../boot/grub/grub.conf")},
		}
		root, _, err := l.Trees(work, false)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, Parts: []Part{
			{Size: 40 * MiB, Type: TypeLinux, Bootable: true, FS: FS{Kind: Ext3, UUID: CentOS6RootUUID, Tree: root}},
			{Size: 8 * MiB, Type: TypeSwap, Logical: true, FS: FS{Kind: Swap}},
		}}, nil
	}}
}

// WindowsGPT is a Windows disk: ESP, MSR and an NTFS basic data partition.
func WindowsGPT() Scenario {
	return Scenario{Name: "windows-gpt", disk: func(string) (Disk, error) {
		return Disk{Table: GPT, Parts: []Part{
			{Size: 34 * MiB, Type: TypeEFI, Name: "EFI system partition", FS: FS{Kind: VFAT}},
			{Size: 16 * MiB, Type: TypeMSR, Name: "Microsoft reserved partition"},
			{Size: 48 * MiB, Type: TypeNTFS, Name: "Basic data partition", FS: FS{Kind: NTFS, Label: "Windows"}},
		}}, nil
	}}
}

// BtrfsRoot is a Fedora-like guest whose root is btrfs.
func BtrfsRoot() Scenario {
	return Scenario{Name: "btrfs-root", disk: func(work string) (Disk, error) {
		l := Linux{
			OSRelease: "NAME=\"Fedora Linux\"\nVERSION_ID=39\nID=fedora\nPRETTY_NAME=\"Fedora Linux 39 (Cloud Edition)\"\n",
			UsrMerge:  true, CloudInit: true,
			Kernels: []Kernel{{Version: "6.5.6-300.fc39.x86_64", Virtio: "builtin"}},
			Fstab:   "UUID=5b0c7e3a-0000-4000-8000-00000000b7f5 / btrfs subvol=root,compress=zstd:1 0 0\n",
		}
		root, _, err := l.Trees(work, false)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, Parts: []Part{
			{Size: 128 * MiB, Type: TypeLinux, Bootable: true, FS: FS{Kind: Btrfs, UUID: "5b0c7e3a-0000-4000-8000-00000000b7f5", Tree: root}},
		}}, nil
	}}
}

// Tiny is the smallest useful guest (an 8 MiB MBR disk, ext4, a Debian
// 12 with an lz4 initramfs), to seed fuzzing.
func Tiny() Scenario {
	return Scenario{Name: "tiny", disk: func(work string) (Disk, error) {
		const kv = "6.1.0-13-amd64"
		l := Linux{
			OSRelease: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n",
			Release:   Tree{"etc/debian_version": File("12.2\n")},
			Kernels: []Kernel{{Version: kv, Virtio: "module", InitramfsName: "initrd.img-" + kv,
				Initramfs: Initramfs{Compression: "lz4"}, InitramfsVirtio: true}},
			Fstab: "/dev/vda1 / ext4 errors=remount-ro 0 1\n",
			Boot:  Tree{"grub/grub.cfg": File("menuentry 'Debian GNU/Linux' {\n\tlinux /boot/vmlinuz-" + kv + " root=/dev/vda1 ro quiet\n\tinitrd /boot/initrd.img-" + kv + "\n}\n")},
		}
		root, _, err := l.Trees(work, false)
		if err != nil {
			return Disk{}, err
		}
		return Disk{Table: MBR, Parts: []Part{{Size: 6 * MiB, Type: TypeLinux, FS: FS{Kind: Ext4, Tree: root}}}}, nil
	}}
}
