package inspect

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uimport/uimport/internal/guestimage"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestIdentifyOS(t *testing.T) {
	elf64 := &fstest.MapFile{Data: guestimage.ELF(64)}
	elf32 := &fstest.MapFile{Data: guestimage.ELF(32)}
	cases := []struct {
		name    string
		fsys    fstest.MapFS
		want    osIdentity
		suggest Suggestion
	}{
		{"debian 12 from os-release", fstest.MapFS{
			"etc/os-release": file("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"),
			"bin/sh":         elf64,
		}, osIdentity{ID: "debian", VersionID: "12", Version: "12", Arch: "x86_64", Bits: 64}, Suggestion{"Debian", "Debian 12 64位"}},
		{"debian without os-release", fstest.MapFS{
			"etc/debian_version": file("9.13\n"), "usr/bin/ls": elf32,
		}, osIdentity{ID: "debian", VersionID: "9.13", Version: "9.13", Arch: "i686", Bits: 32}, Suggestion{"Debian", "Debian 9 32位"}},
		{"rhel 6", fstest.MapFS{
			"etc/redhat-release": file("Red Hat Enterprise Linux Server release 6.10 (Santiago)\n"), "bin/sh": elf64,
		}, osIdentity{ID: "rhel", VersionID: "6.10", Version: "6.10", Arch: "x86_64", Bits: 64}, Suggestion{"RedHat", "RedHat 6.10 64位"}},
		{"almalinux 9", fstest.MapFS{
			"etc/os-release": file("ID=\"almalinux\"\nVERSION_ID='9.4'\nPRETTY_NAME=\"AlmaLinux 9.4 (Seafoam Ocelot)\"\n"), "bin/sh": elf64,
		}, osIdentity{ID: "almalinux", VersionID: "9.4", Version: "9.4", Arch: "x86_64", Bits: 64}, Suggestion{"AlmaLinux", "AlmaLinux 9.4 64位"}},
		{"opensuse 13 from SuSE-release", fstest.MapFS{
			"etc/SuSE-release":           file("openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n"),
			"lib64/ld-linux-x86-64.so.2": file(""),
		}, osIdentity{ID: "opensuse", VersionID: "13.2", Version: "13.2", Arch: "x86_64", Bits: 64}, Suggestion{"openSUSE", "openSUSE 13.2 64位"}},
		{"ubuntu 14.04 from lsb-release", fstest.MapFS{
			"etc/lsb-release": file("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\nDISTRIB_DESCRIPTION=\"Ubuntu 14.04.6 LTS\"\n"),
		}, osIdentity{ID: "ubuntu", VersionID: "14.04", Version: "14.04"}, Suggestion{"Ubuntu", "Ubuntu 14.04 64位"}},
		{"arch linux is Other", fstest.MapFS{
			"etc/os-release": file("NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n"),
		}, osIdentity{ID: "arch"}, Suggestion{"Other", "Other"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := identifyOS(tc.fsys)
			if id == nil {
				t.Fatal("nothing identified")
			}
			got := *id
			got.PrettyName, got.Source, got.IDLike = "", "", ""
			if got != tc.want {
				t.Errorf("identity = %+v, want %+v", got, tc.want)
			}
			if s := suggest(id, nil); *s != tc.suggest {
				t.Errorf("suggestion = %+v, want %+v", *s, tc.suggest)
			}
		})
	}
	if identifyOS(fstest.MapFS{"etc/hostname": file("x")}) != nil {
		t.Error("identified an empty guest")
	}
}

func TestOSReleaseUntrusted(t *testing.T) {
	id := identifyOS(fstest.MapFS{"etc/os-release": file("ID=ubuntu\nPRETTY_NAME=\"Evil\\\"\x1b]0;owned\x07\x1b[2J\"\nVERSION_ID=22.04\n")})
	f := osMismatchFinding("CentOS", "Ubuntu", id.PrettyName, suggest(id, nil))
	if strings.ContainsAny(f.Message, "\x1b\x07") || !strings.Contains(f.Message, `\x1b]0;owned`) {
		t.Errorf("message not escaped: %q", f.Message)
	}
}

func TestBootConfig(t *testing.T) {
	t.Run("bls with kernelopts, saved_entry", func(t *testing.T) {
		fsys := fstest.MapFS{
			"boot/grub2/grubenv": file("# GRUB Environment Block\nsaved_entry=abc-4.18.0-80.el8.x86_64\nkernelopts=root=/dev/sda2 ro\n####"),
			"boot/loader/entries/abc-4.18.0-80.el8.x86_64.conf":  file("title old\nversion 4.18.0-80.el8.x86_64\nlinux /vmlinuz-4.18.0-80.el8.x86_64\noptions $kernelopts quiet\n"),
			"boot/loader/entries/abc-4.18.0-513.el8.x86_64.conf": file("title new\nversion 4.18.0-513.el8.x86_64\nlinux /vmlinuz-4.18.0-513.el8.x86_64\noptions $kernelopts\n"),
		}
		bc := readBootConfig(fsys)
		if len(bc.Entries) != 2 || bc.Entries[0].Version != "4.18.0-513.el8.x86_64" {
			t.Fatalf("entries not newest first: %+v", bc.Entries)
		}
		e := bc.Entries[bc.Default]
		if e.Version != "4.18.0-80.el8.x86_64" || bc.Why != "grubenv saved_entry" || rootArg(e.Options) != "/dev/sda2" || !strings.HasSuffix(e.Options, "quiet") {
			t.Errorf("default = %+v (%s)", e, bc.Why)
		}
	})
	t.Run("grub.cfg set default by id inside a submenu", func(t *testing.T) {
		fsys := fstest.MapFS{"boot/grub/grub.cfg": file(`set default="gnulinux-advanced-x>gnulinux-5.4.0-26-generic-advanced-x"
menuentry 'Ubuntu' $menuentry_id_option 'gnulinux-simple-x' {
	linux /boot/vmlinuz-5.4.0-42-generic root=UUID=x ro
}
submenu 'Advanced' $menuentry_id_option 'gnulinux-advanced-x' {
	menuentry 'Ubuntu, with Linux 5.4.0-26-generic' $menuentry_id_option 'gnulinux-5.4.0-26-generic-advanced-x' {
		linux /boot/vmlinuz-5.4.0-26-generic root=/dev/xvda1 ro
		initrd /boot/microcode.cpio /boot/initrd.img-5.4.0-26-generic
	}
}
`)}
		bc := readBootConfig(fsys)
		e := bc.Entries[bc.Default]
		if e.Version != "5.4.0-26-generic" || e.Initrd != "/boot/initrd.img-5.4.0-26-generic" || rootArg(e.Options) != "/dev/xvda1" {
			t.Errorf("default = %+v of %+v", e, bc.Entries)
		}
	})
	t.Run("legacy grub.conf", func(t *testing.T) {
		bc := readBootConfig(fstest.MapFS{"boot/grub/menu.lst": file("default 1\ntitle a\n kernel /vmlinuz-2.6.18-1 root=LABEL=/\ntitle b\n kernel /vmlinuz-2.6.18-2 ro root=/dev/hda1\n initrd /initrd-2.6.18-2.img\n")})
		e := bc.Entries[bc.Default]
		if e.Version != "2.6.18-2" || e.Initrd != "/initrd-2.6.18-2.img" || rootArg(e.Options) != "/dev/hda1" {
			t.Errorf("default = %+v", e)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		if bc := readBootConfig(fstest.MapFS{}); bc.Default != -1 || len(bc.Entries) != 0 {
			t.Errorf("%+v", bc)
		}
	})
}

func TestKernelsAndVirtio(t *testing.T) {
	fsys := fstest.MapFS{
		"boot/vmlinuz-5.10.0-9-amd64":                file("k"),
		"boot/vmlinuz-5.10.0-28-amd64":               file("k"),
		"boot/vmlinuz-0-rescue-abc":                  file("k"),
		"boot/config-5.10.0-28-amd64":                file("CONFIG_VIRTIO_BLK=m\n"),
		"boot/config-5.10.0-9-amd64":                 file("CONFIG_VIRTIO_BLK=y\n"),
		"lib/modules/5.10.0-28-amd64/modules.dep":    file("updates/dkms/virtio_blk.ko.zst: kernel/drivers/virtio/virtio.ko\n"),
		"lib/modules/4.19.0-1-amd64/modules.builtin": file("kernel/fs/ext4/ext4.ko\n"),
	}
	ks := findKernels(fsys)
	var versions []string
	for _, k := range ks {
		versions = append(versions, k.Version)
	}
	if strings.Join(versions, " ") != "4.19.0-1-amd64 5.10.0-9-amd64 5.10.0-28-amd64" {
		t.Fatalf("kernels = %v", versions)
	}
	def, _ := chooseDefault(ks, &bootConfig{Default: -1})
	if def.Version != "5.10.0-28-amd64" {
		t.Errorf("default = %s, want the newest with an image", def.Version)
	}
	for v, want := range map[string]string{"5.10.0-28-amd64": virtioModule, "5.10.0-9-amd64": virtioBuiltin, "4.19.0-1-amd64": virtioMissing, "9.9": virtioUnknown} {
		if got := virtioBlkState(fsys, v); got != want {
			t.Errorf("virtio of %s = %s, want %s", v, got, want)
		}
	}
}

func TestFstab(t *testing.T) {
	es := parseFstab([]byte("# c\n\nUUID=ab /  ext4 defaults 0 1\n/dev/sdb1\t/data\\040dir xfs defaults\nbad\n"))
	if len(es) != 2 || es[1].Mountpoint != "/data dir" || es[1].Line != 4 || es[0].Spec != "UUID=ab" {
		t.Errorf("%+v", es)
	}
	for dev, want := range map[string]string{"/dev/sda1": "/dev/vda1", "/dev/xvdb": "/dev/vdb", "/dev/hda3": "/dev/vda3", "/dev/vda1": "/dev/vda1"} {
		if got := virtioName(dev); got != want {
			t.Errorf("virtioName(%s) = %s", dev, got)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range [][2]string{{"5.14.0-70", "5.14.0-362"}, {"4.18", "5.1"}, {"5.4.0-9", "5.4.0-10"}, {"1.0", "1.0.1"}, {"5.14.rc1", "5.14.0"}} {
		if compareVersions(c[0], c[1]) >= 0 || compareVersions(c[1], c[0]) <= 0 {
			t.Errorf("%s should sort before %s", c[0], c[1])
		}
	}
}

func TestFixLines(t *testing.T) {
	if f := virtioInitramfsFinding("debian", "5.10.0-28-amd64", "/boot/initrd.img-5.10.0-28-amd64"); !strings.Contains(f.Fix,
		"printf '%s\\n' virtio_blk virtio_pci virtio_net virtio_scsi >> /etc/initramfs-tools/modules && update-initramfs -u -k 5.10.0-28-amd64") {
		t.Errorf("debian fix = %q", f.Fix)
	}
	if f := noVirtioFinding("rhel", "3.10.0-custom", ""); f.Severity != Block || !strings.Contains(f.Fix, "dracut -f --add-drivers") {
		t.Errorf("no-virtio = %+v", f)
	}
	if f := gptFinding([]Partition{{Number: 1}, {Number: 2}, {Number: 3}, {Number: 4}, {Number: 5}}, false); !strings.Contains(f.Fix, "5 data partitions") {
		t.Errorf("gpt with 5 partitions = %q", f.Fix)
	}
}

func TestMountFS(t *testing.T) {
	ns := &mountFS{}
	ns.add("", fstest.MapFS{"etc/fstab": file("root"), "boot/stale": file("hidden")})
	ns.add("boot", fstest.MapFS{"grub2/grub.cfg": file("boot")})
	if b, err := readSmall(ns, "boot/grub2/grub.cfg"); err != nil || string(b) != "boot" {
		t.Errorf("boot file: %q %v", b, err)
	}
	if _, err := readSmall(ns, "boot/stale"); err == nil {
		t.Error("a file under the mount point showed through")
	}
	if b, err := readSmall(ns, "etc/fstab"); err != nil || string(b) != "root" {
		t.Errorf("root file: %q %v", b, err)
	}
	if _, err := ns.Open("../x"); err == nil {
		t.Error("invalid path opened")
	}
}

// linuxSession inspects a guest given as a MapFS root file system.
func linuxSession(t *testing.T, root fstest.MapFS, opts Options) *Report {
	t.Helper()
	s := &session{ctx: context.Background(), opts: opts, report: &Report{Partitions: []Partition{{Device: "/dev/vda1", UUID: "u-1"}}}}
	v := &volume{idx: 0, dev: "/dev/vda1", uuid: "u-1", kind: "ext4"}
	s.vols = []*volume{v}
	g := &guest{root: v, rootFS: root, ns: &mountFS{}}
	g.ns.add("", root)
	if b, err := readSmall(root, "etc/fstab"); err == nil {
		g.fstab = parseFstab(b)
	}
	s.inspectLinux(g)
	return s.finish()
}

func TestNoVirtio(t *testing.T) {
	base := fstest.MapFS{
		"etc/os-release":             file("ID=centos\nVERSION_ID=7\n"),
		"etc/centos-release":         file("CentOS Linux release 7.9.2009 (Core)\n"),
		"etc/fstab":                  file("UUID=u-1 / ext4 defaults 0 0\n"),
		"bin/sh":                     &fstest.MapFile{Data: guestimage.ELF(64)},
		"boot/vmlinuz-3.10.0-custom": file("k"),
		"boot/config-3.10.0-custom":  file("# CONFIG_VIRTIO_BLK is not set\n"),
		"lib/modules/3.10.0-custom/modules.builtin": file(""),
		"boot/grub2/grub.cfg": file("menuentry 'custom' {\n linux16 /boot/vmlinuz-3.10.0-custom root=UUID=u-1\n}\n" +
			"menuentry 'stock' {\n linux16 /boot/vmlinuz-3.10.0-1160.el7.x86_64 root=UUID=u-1\n}\n"),
		"usr/bin/cloud-init": file(""),
	}
	r := linuxSession(t, base, Options{})
	if got := findingIDs(r); strings.Join(got, " ") != IDNoVirtio {
		t.Fatalf("ids = %v: %+v", got, r.Findings)
	}
	if f := r.Findings[0]; !strings.Contains(f.Fix, "yum install kernel") || !strings.Contains(f.Message, "3.10.0-custom") {
		t.Errorf("no-virtio = %+v", f)
	}
	base["boot/vmlinuz-3.10.0-1160.el7.x86_64"] = file("k")
	base["lib/modules/3.10.0-1160.el7.x86_64/kernel/drivers/block/virtio_blk.ko.xz"] = file("m")
	r = linuxSession(t, base, Options{})
	if f := finding(r, IDNoVirtio); !strings.Contains(f.Fix, "grubby --set-default /boot/vmlinuz-3.10.0-1160.el7.x86_64") {
		t.Errorf("no-virtio with a stock kernel = %+v", f)
	}
}
