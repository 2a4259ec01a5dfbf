package inspect

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uimport/uimport/internal/guestimage"
)

// inspectFile inspects an image file as the command line would.
func inspectFile(t *testing.T, path string, opts Options) *Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	opts.Progress = func(s string) { stages = append(stages, s) }
	cr := &countingReader{r: f}
	start := time.Now()
	r, err := Inspect(context.Background(), cr, st.Size(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("inspected %s (%d MiB) in %v: %d reads, %d KiB read", filepath.Base(path), st.Size()>>20, time.Since(start).Round(time.Millisecond),
		cr.reads.Load(), cr.bytes.Load()>>10)
	if len(stages) == 0 {
		t.Error("no progress reported")
	}
	return r
}

// countingReader counts what an inspection reads, as a remote reader
// would fetch it.
type countingReader struct {
	r            io.ReaderAt
	reads, bytes atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads.Add(1)
	n, err := c.r.ReadAt(p, off)
	c.bytes.Add(int64(n))
	return n, err
}

func findingIDs(r *Report) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

func finding(r *Report, id string) Finding {
	for _, f := range r.Findings {
		if f.ID == id {
			return f
		}
	}
	return Finding{}
}

func defaultKernel(r *Report) Kernel {
	for _, k := range r.Kernels {
		if k.Default {
			return k
		}
	}
	return Kernel{}
}

type scenarioWant struct {
	format    string // the container to convert the raw disk to
	opts      Options
	ids       []string
	table     string
	root      Root
	osID      string
	arch      string
	suggested *Suggestion
	kernel    string // the default kernel
	virtio    string
	inInitrd  *bool
	check     func(t *testing.T, r *Report)
}

func ptr[T any](v T) *T { return &v }

func TestScenarios(t *testing.T) {
	cases := map[string]struct {
		scenario guestimage.Scenario
		want     scenarioWant
	}{
		"ubuntu-gpt": {guestimage.Ubuntu2204GPT(), scenarioWant{
			format: "qcow2", ids: []string{IDGPT}, table: "gpt",
			root: Root{FS: "ext4", Device: "/dev/vda1"}, osID: "ubuntu", arch: "x86_64",
			suggested: &Suggestion{"Ubuntu", "Ubuntu 22.04 64位"},
			kernel:    "5.15.0-91-generic", virtio: virtioBuiltin,
			check: func(t *testing.T, r *Report) {
				fix := finding(r, IDGPT).Fix
				// Entries 14 (BIOS boot) and 15 (ESP) have no place on a BIOS MBR disk.
				if !strings.Contains(fix, "sgdisk --gpttombr=1 disk.raw") || !strings.Contains(fix, "grub-install") {
					t.Errorf("gpt fix = %q", fix)
				}
				if len(r.Partitions) != 3 || r.Partitions[0].Number != 1 || r.Partitions[2].FS != "vfat" || r.Partitions[2].Label != "UEFI" {
					t.Errorf("partitions = %+v", r.Partitions)
				}
			},
		}},
		"ubuntu-mbr": {guestimage.Ubuntu2204MBR(), scenarioWant{
			format: "vmdk-stream", opts: Options{BaseImageNames: []string{"Ubuntu 20.04 64位", "ubuntu 22.04 64位"}},
			ids: nil, table: "mbr", root: Root{FS: "ext4", Device: "/dev/vda1"}, osID: "ubuntu", arch: "x86_64",
			// The console's own spelling wins when one matches.
			suggested: &Suggestion{"Ubuntu", "ubuntu 22.04 64位"},
			kernel:    "5.15.0-91-generic", virtio: virtioBuiltin,
		}},
		"rocky9-gpt-boot-apart": {guestimage.Rocky9GPT(), scenarioWant{
			format: "qcow2", opts: Options{DeclaredOSType: "CentOS"}, ids: []string{IDFilesystem, IDGPT},
			table: "gpt", root: Root{FS: "xfs", Device: "/dev/vda4"}, osID: "rocky", arch: "x86_64",
			suggested: &Suggestion{"Rocky", "Rocky Linux 9.3 64位"},
			kernel:    "5.14.0-362.8.1.el9_3.x86_64", virtio: virtioModule, inInitrd: ptr(true),
			check: func(t *testing.T, r *Report) {
				if r.Partitions[2].Mountpoint != "/boot" || r.Partitions[3].Mountpoint != "/" {
					t.Errorf("mount points: %+v", r.Partitions)
				}
				if !strings.Contains(finding(r, IDGPT).Fix, "--gpttombr=3:4 disk.raw") {
					t.Errorf("gpt fix = %q", finding(r, IDGPT).Fix)
				}
				if len(r.Kernels) != 2 {
					t.Errorf("kernels (the rescue image is not one): %+v", r.Kernels)
				}
			},
		}},
		"rocky8-lvm-vmware": {guestimage.Rocky8LVM(), scenarioWant{
			format: "vhd", opts: Options{DeclaredOSType: "Rocky", DeclaredOSName: "Rocky Linux 8 64位", DeclaredFormat: "vhd"},
			ids:   []string{IDFilesystem, IDLVM, IDNoCloudInit, IDVirtioInitramfs},
			table: "mbr", root: Root{FS: "xfs", Device: "/dev/mapper/rl-root"}, osID: "rocky", arch: "x86_64",
			suggested: &Suggestion{"Rocky", "Rocky Linux 8.9 64位"},
			kernel:    "4.18.0-513.5.1.el8_9.x86_64", virtio: virtioModule, inInitrd: ptr(false),
			check: func(t *testing.T, r *Report) {
				want := `dracut -f --add-drivers "virtio_blk virtio_pci virtio_net virtio_scsi" /boot/initramfs-4.18.0-513.5.1.el8_9.x86_64.img 4.18.0-513.5.1.el8_9.x86_64`
				if f := finding(r, IDVirtioInitramfs); !strings.Contains(f.Fix, want) {
					t.Errorf("virtio-initramfs fix = %q, want %q", f.Fix, want)
				}
				var swap bool
				for _, p := range r.Partitions {
					swap = swap || (p.Device == "/dev/mapper/rl-swap" && p.FS == "swap" && p.VolumeGroup == "rl")
				}
				if !swap {
					t.Errorf("no rl-swap among %+v", r.Partitions)
				}
			},
		}},
		"centos7-xfs-v4": {guestimage.CentOS7XFSv4(), scenarioWant{
			format: "vmdk", opts: Options{DeclaredOSType: "Ubuntu"}, ids: []string{IDFilesystem, IDOSMismatch},
			table: "mbr", root: Root{FS: "xfs", Device: "/dev/vda1"}, osID: "centos", arch: "x86_64",
			suggested: &Suggestion{"CentOS", "CentOS 7.9 64位"},
			kernel:    "3.10.0-1160.el7.x86_64", virtio: virtioModule, inInitrd: ptr(true),
			check: func(t *testing.T, r *Report) {
				f := finding(r, IDOSMismatch)
				if f.Severity != Block || !strings.Contains(f.Fix, "--os-type CentOS --os-name 'CentOS 7.9 64位'") {
					t.Errorf("os-mismatch = %+v", f)
				}
				if len(r.Blocking()) != 1 {
					t.Errorf("blocking = %+v", r.Blocking())
				}
			},
		}},
		"centos6-ext3-sda": {guestimage.CentOS6(), scenarioWant{
			format: "raw", opts: Options{DeclaredOSType: "CentOS", DeclaredOSName: "CentOS 6.5 64位", DeclaredFormat: "qcow2"},
			ids:   []string{IDDeviceNames, IDFormat, IDNoCloudInit, IDOSName, IDVirtioInitramfs},
			table: "mbr", root: Root{FS: "ext3", Device: "/dev/vda1"}, osID: "centos", arch: "i686",
			suggested: &Suggestion{"CentOS", "CentOS 6.10 32位"},
			kernel:    "2.6.32-754.el6.i686", virtio: virtioModule, inInitrd: ptr(false),
			check: func(t *testing.T, r *Report) {
				f := finding(r, IDDeviceNames)
				for _, want := range []string{"/etc/fstab line 1 (/)", "/dev/sda5", "root= in /boot/grub/grub.conf", "/dev/vda1",
					"/dev/sda1 → UUID=" + guestimage.CentOS6RootUUID} {
					if !strings.Contains(f.Message+f.Fix, want) {
						t.Errorf("device-names finding lacks %q: %+v", want, f)
					}
				}
				if f := finding(r, IDOSName); !strings.Contains(f.Fix, "--os-name 'CentOS 6.10 32位'") {
					t.Errorf("os-name = %+v", f)
				}
				if f := finding(r, IDFormat); f.Severity != Block || !strings.Contains(f.Fix, "--format RAW") {
					t.Errorf("format = %+v", f)
				}
				if r.OS.PrettyName != "CentOS release 6.10 (Final)" {
					t.Errorf("os = %+v", r.OS)
				}
				var logicalSwap bool
				for _, p := range r.Partitions {
					logicalSwap = logicalSwap || (p.Number == 5 && p.Logical && p.FS == "swap")
				}
				if !logicalSwap {
					t.Errorf("no logical swap: %+v", r.Partitions)
				}
			},
		}},
		"windows-gpt": {guestimage.WindowsGPT(), scenarioWant{
			format: "vhd-fixed", opts: Options{DeclaredOSType: "CentOS"}, ids: []string{IDGPT, IDOSMismatch, IDWindows},
			table: "gpt", root: Root{FS: "ntfs", Device: "/dev/vda3"}, osID: "windows",
			suggested: &Suggestion{"Windows", ""},
			check: func(t *testing.T, r *Report) {
				if fix := finding(r, IDGPT).Fix; !strings.Contains(fix, "--gpttombr=3 disk.raw") || !strings.Contains(fix, `bcdboot C:\Windows /s C: /f BIOS`) {
					t.Errorf("gpt fix = %q", fix)
				}
			},
		}},
		"btrfs-root": {guestimage.BtrfsRoot(), scenarioWant{
			format: "raw", ids: []string{IDFilesystem, IDUninspectable},
			table: "mbr", root: Root{FS: "btrfs", Device: "/dev/vda1"},
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := tc.want
			path := guestimage.BuildT(t, tc.scenario, w.format)
			r := inspectFile(t, path, w.opts)
			js, _ := json.MarshalIndent(r, "", "  ")
			t.Logf("report:\n%s", js)
			if got := findingIDs(r); !slices.Equal(got, w.ids) {
				t.Errorf("finding ids = %v, want %v", got, w.ids)
			}
			if r.PartitionTable != w.table {
				t.Errorf("partition_table = %q, want %q", r.PartitionTable, w.table)
			}
			if r.Root == nil || *r.Root != w.root {
				t.Errorf("root = %+v, want %+v", r.Root, w.root)
			}
			switch {
			case w.osID == "" && r.OS != nil:
				t.Errorf("os = %+v, want null", r.OS)
			case w.osID != "" && (r.OS == nil || r.OS.ID != w.osID || r.OS.Arch != w.arch):
				t.Errorf("os = %+v, want id %q arch %q", r.OS, w.osID, w.arch)
			}
			if (r.Suggested == nil) != (w.suggested == nil) || (r.Suggested != nil && *r.Suggested != *w.suggested) {
				t.Errorf("suggested = %+v, want %+v", r.Suggested, w.suggested)
			}
			if w.kernel != "" {
				k := defaultKernel(r)
				if k.Version != w.kernel || k.VirtioBlk != w.virtio {
					t.Errorf("default kernel = %+v, want %s with virtio %s", k, w.kernel, w.virtio)
				}
				if (k.VirtioInInitramfs == nil) != (w.inInitrd == nil) || (w.inInitrd != nil && *k.VirtioInInitramfs != *w.inInitrd) {
					t.Errorf("virtio in initramfs = %v, want %v", k.VirtioInInitramfs, w.inInitrd)
				}
			}
			for _, f := range r.Findings {
				if f.Message == "" || f.Fix == "" {
					t.Errorf("finding without message or fix: %+v", f)
				}
			}
			if w.check != nil {
				w.check(t, r)
			}
		})
	}
}
