package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	gi "github.com/uimport/uimport/internal/guestimage"
)

// The bench images are the test suite's distribution scenarios (package
// internal/guestimage: real partition tables, file systems and
// boot configuration, made with sgdisk, mkfs.xfs, mke2fs and qemu-img),
// scaled to a real cloud image's shape: a 2 GiB disk, thousands of files
// in the root, and a distribution-sized initramfs in which virtio_blk
// comes after most of the archive, so finding it means decompressing
// almost all of it.
const (
	benchDiskSize = 2 << 30
	// Rocky 9's generic initramfs holds ~100 MiB of files (30-40 MiB
	// compressed); Ubuntu's is larger, but it is never read (virtio_blk is
	// built into its kernel).
	benchInitramfsMiB = 96
	benchRootDataMiB  = 192
	rocky9Kernel      = "5.14.0-362.8.1.el9_3.x86_64"
	rocky9OldKernel   = "5.14.0-284.11.1.el9_2.x86_64"
	ubuntuKernel      = "5.15.0-91-generic"
	ubuntuOldKernel   = "5.15.0-88-generic"
)

// inspectImages builds the bench images in DIR: raw and qcow2 of each
// scenario, and prints one path per line.
//
//	harness inspectimages [-root-mib 192] [-initramfs-mib 96] DIR
func inspectImages(args []string) error {
	fs := flag.NewFlagSet("inspectimages", flag.ExitOnError)
	rootMiB := fs.Int("root-mib", benchRootDataMiB, "MiB of files added to each root file system")
	irMiB := fs.Int("initramfs-mib", benchInitramfsMiB, "MiB of files in the default kernel's initramfs")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: inspectimages [-root-mib N] [-initramfs-mib N] DIR")
	}
	dir := fs.Arg(0)
	if missing := gi.MissingTools(); len(missing) > 0 {
		return fmt.Errorf("missing %v: run scripts/test-deps.sh", missing)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, b := range []struct {
		name  string
		scale func(work string, d *gi.Disk) error
		base  gi.Scenario
	}{
		{"rocky-9-gpt-2g", func(w string, d *gi.Disk) error { return scaleRocky9(w, d, *rootMiB, *irMiB) }, gi.Rocky9GPT()},
		{"ubuntu-22.04-gpt-2g", func(w string, d *gi.Disk) error { return scaleUbuntu(w, d, *rootMiB, *irMiB) }, gi.Ubuntu2204GPT()},
	} {
		work, err := os.MkdirTemp(dir, b.name+"-work-")
		if err != nil {
			return err
		}
		base := b.base
		scen := gi.Custom(b.name, func(work string) (gi.Disk, error) {
			d, err := base.Disk(work)
			if err != nil {
				return d, err
			}
			return d, b.scale(work, &d)
		})
		raw, err := scen.Build(work)
		if err != nil {
			return err
		}
		final := filepath.Join(dir, b.name+".raw")
		if err := os.Rename(raw, final); err != nil {
			return err
		}
		qcow, err := gi.Convert(final, "qcow2")
		if err != nil {
			return err
		}
		os.RemoveAll(work)
		fmt.Println(final)
		fmt.Println(qcow)
	}
	return nil
}

// scaleRocky9 grows Rocky 9's GPT disk to 2 GiB with the cloud image's
// partitions (BIOS boot, a 100 MiB ESP, a 512 MiB XFS /boot, the rest XFS
// root), fills the root and replaces both kernels' initramfs with
// distribution-sized ones.
func scaleRocky9(work string, d *gi.Disk, rootMiB, irMiB int) error {
	if len(d.Parts) != 4 {
		return fmt.Errorf("rocky 9 scenario changed: %d partitions", len(d.Parts))
	}
	d.Size = benchDiskSize
	d.Parts[1].Size = 100 * gi.MiB
	d.Parts[2].Size = 512 * gi.MiB
	d.Parts[3].Size = benchDiskSize - 3*gi.MiB - d.Parts[0].Size - d.Parts[1].Size - d.Parts[2].Size
	boot, root := d.Parts[2].FS.Tree, d.Parts[3].FS.Tree
	boot["efi"] = gi.Dir() // fstab mounts the ESP there (virt-inspector stops if it is missing)
	fillRoot(root, "usr/", rocky9Kernel, ".ko.xz", "var/cache/dnf/", rootMiB)
	for i, kv := range []string{rocky9Kernel, rocky9OldKernel} {
		size := irMiB
		if i > 0 {
			size = irMiB / 2
		}
		data, err := bigInitramfs(work, kv, ".ko.xz", true, size, uint64(i+1))
		if err != nil {
			return err
		}
		boot["initramfs-"+kv+".img"] = gi.Bytes(data)
	}
	return nil
}

// scaleUbuntu grows Ubuntu's cloud-image GPT disk (partitions 14, 15, 1)
// to 2 GiB, fills the root and gives both kernels large initrds, which an
// inspection need not read: virtio_blk is built in.
func scaleUbuntu(work string, d *gi.Disk, rootMiB, irMiB int) error {
	if len(d.Parts) != 3 {
		return fmt.Errorf("ubuntu scenario changed: %d partitions", len(d.Parts))
	}
	d.Size = benchDiskSize
	d.Parts[1].Size = 106 * gi.MiB
	d.Parts[2].Size = benchDiskSize - 3*gi.MiB - d.Parts[0].Size - d.Parts[1].Size
	root := d.Parts[2].FS.Tree
	root["boot/efi"] = gi.Dir()
	fillRoot(root, "usr/", ubuntuKernel, ".ko", "var/cache/apt/", rootMiB)
	for i, kv := range []string{ubuntuKernel, ubuntuOldKernel} {
		data, err := bigInitramfs(work, kv, ".ko", false, irMiB/2, uint64(10+i))
		if err != nil {
			return err
		}
		root["boot/initrd.img-"+kv] = gi.Bytes(data)
	}
	return nil
}

// fillRoot adds what makes a root file system look installed: ~2,000
// modules under lib/modules/<kv>, binaries, libraries, documentation and a
// locale archive; dataMiB in all.
func fillRoot(root gi.Tree, usr, kv, ext, cache string, dataMiB int) {
	r := rand.New(rand.NewPCG(uint64(dataMiB), 7))
	budget := int64(dataMiB) << 20
	locale := budget / 3
	root[usr+"lib/locale/locale-archive"] = gi.Bytes(filler(3, int(locale)))
	budget -= locale
	groups := []struct {
		dir   string
		count int
		share int64 // of the rest, in percent
	}{
		{usr + "lib/modules/" + kv + "/kernel/drivers/net/", 700, 20},
		{usr + "lib/modules/" + kv + "/kernel/drivers/gpu/", 500, 15},
		{usr + "lib/modules/" + kv + "/kernel/fs/", 300, 5},
		{usr + "lib/modules/" + kv + "/kernel/sound/", 500, 5},
		{usr + "bin/", 900, 20},
		{usr + "lib64/", 700, 25},
		{usr + "share/doc/", 2500, 5},
		{"etc/", 400, 1},
		{cache, 4, 4},
	}
	seed := uint64(100)
	for _, g := range groups {
		per := budget * g.share / 100 / int64(g.count)
		for i := 0; i < g.count; i++ {
			seed++
			// Sizes spread from a tenth to twice the mean, like real files.
			n := per/10 + r.Int64N(max(per*2, 1))
			name := fmt.Sprintf("%sf%04d", g.dir, i)
			if strings.Contains(g.dir, "/modules/") {
				name += ext
			}
			if _, taken := root[name]; !taken {
				root[name] = gi.Bytes(filler(seed, int(n)))
			}
		}
	}
}

// bigInitramfs builds a dracut-like initramfs for kv: an uncompressed
// early microcode archive, then a zstd main archive of about sizeMiB of
// files in which virtio_blk (when withVirtio) comes after ~85% of the
// bytes (cpio lists names sorted; the filler's names sort before it).
func bigInitramfs(work, kv, ext string, withVirtio bool, sizeMiB int, seed uint64) ([]byte, error) {
	early, err := gi.Initramfs{Compression: "none", Files: gi.Tree{
		"early_cpio":                            gi.File("1\n"),
		"kernel/x86/microcode/GenuineIntel.bin": gi.Bytes(filler(seed+1000, 96<<10)),
	}}.Build(work)
	if err != nil {
		return nil, err
	}
	if pad := len(early) % 512; pad != 0 {
		early = append(early, make([]byte, 512-pad)...)
	}
	mods := "usr/lib/modules/" + kv + "/"
	loop, err := gi.Module("loop" + ext)
	if err != nil {
		return nil, err
	}
	files := gi.Tree{
		"init":                                   gi.Link("usr/lib/systemd/systemd"),
		"usr/lib/systemd/systemd":                gi.Bytes(gi.ELF(64)),
		"etc/os-release":                         gi.File("NAME=initrd\n"),
		mods + "kernel/drivers/block/loop" + ext: gi.Bytes(loop),
		mods + "modules.builtin":                 gi.File("kernel/drivers/char/mem.ko\nkernel/fs/ext4/ext4.ko\n"),
	}
	if withVirtio {
		m, err := gi.Module("virtio_blk" + ext)
		if err != nil {
			return nil, err
		}
		files[mods+"kernel/drivers/block/virtio_blk"+ext] = gi.Bytes(m)
	}
	// Before virtio_blk in name order: firmware, binaries, libraries
	// and the ata/base drivers; after it: net and scsi drivers, systemd.
	total := int64(sizeMiB) << 20
	spread := []struct {
		dir   string
		count int
		share int64
	}{
		{"usr/bin/", 150, 15},
		{"usr/lib/dracut/", 60, 5},
		{"usr/lib/firmware/", 80, 35},
		{mods + "kernel/arch/", 40, 5},
		{mods + "kernel/drivers/ata/", 60, 10},
		{mods + "kernel/drivers/base/", 40, 15},
		{mods + "kernel/drivers/net/", 120, 8},
		{mods + "kernel/drivers/scsi/", 80, 4},
		{"usr/lib64/", 100, 3},
	}
	for _, s := range spread {
		per := total * s.share / 100 / int64(s.count)
		for i := 0; i < s.count; i++ {
			seed += 7
			name := fmt.Sprintf("%sf%03d", s.dir, i)
			if strings.Contains(s.dir, "/kernel/") {
				name += ext
			}
			files[name] = gi.Bytes(filler(seed, int(per)))
		}
	}
	main, err := gi.Initramfs{Compression: "none", Files: files}.Build(work)
	if err != nil {
		return nil, err
	}
	// zstd -3 rather than dracut's -15: the same format and ratio within
	// a few percent, and minutes faster on a busy 2-core machine.
	cmd := exec.Command("zstd", "-q", "-3", "-T0", "-c")
	cmd.Stdin = bytes.NewReader(main)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("zstd: %v: %s", err, errOut.String())
	}
	return append(early, out.Bytes()...), nil
}

// filler returns n deterministic bytes that compress about 3:1 with zstd,
// like executables and libraries: repeats from the last 4 KiB, runs of
// small values and some noise.
func filler(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([]byte, 0, n+64)
	for len(out) < n {
		switch k := r.IntN(10); {
		case k < 4 && len(out) > 4096:
			l := 8 + r.IntN(56)
			from := len(out) - 1 - r.IntN(4096)
			for i := 0; i < l; i++ {
				out = append(out, out[from+i])
			}
		case k < 7:
			for i := 0; i < 16; i++ {
				out = append(out, byte(r.IntN(16)))
			}
		default:
			for i := 0; i < 8; i++ {
				out = append(out, byte(r.Uint32()))
			}
		}
	}
	return out[:n]
}
