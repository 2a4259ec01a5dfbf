package lvm

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// How the fixtures are made, without the kernel's device-mapper (absent in
// many containers and CI VMs):
//
//   - each PV is a sparse file attached to a loop device (losetup needs
//     root; CI runs as root);
//   - lvm runs with its own empty LVM_SYSTEM_DIR (the host's lvm.conf and
//     devices file are not read), a filter that admits only our loop
//     devices, no udev, no backups/archives, and its lock files in the
//     test's directory;
//   - lvcreate/lvextend get --driverloaded n and -Zn -an: they write the
//     metadata and never touch device-mapper or the LV's data;
//   - the LVs' contents are then written with dd straight into the PV
//     files, at the offsets `pvs` (pe_start) and `lvs --segments`
//     (seg_pe_ranges) report, and read back through this package.
//
// Only linear and striped LVs can be created this way (snapshots, thin
// pools and raid need activation); those layouts are tested on metadata
// derived from a real PV in layouts_test.go.

type lvmFixture struct {
	t       testing.TB
	dir     string
	files   []string // PV backing files
	loops   []string // their loop devices
	sysDir  string
	lockDir string
}

func newLVMFixture(t testing.TB, pvCount int, pvSize int64) *lvmFixture {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("the LVM fixtures need root for losetup (CI runs as root); run the lvm tests as root")
	}
	for _, tool := range []string{"losetup", "lvm", "dd"} {
		if _, err := lookTool(tool); err != nil {
			t.Fatalf("%s not found: run scripts/test-deps.sh", tool)
		}
	}
	f := &lvmFixture{t: t, dir: t.TempDir()}
	f.sysDir = filepath.Join(f.dir, "etc-lvm")
	f.lockDir = filepath.Join(f.dir, "lock")
	for _, d := range []string{f.sysDir, f.lockDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < pvCount; i++ {
		path := filepath.Join(f.dir, fmt.Sprintf("pv%d.img", i))
		file, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := file.Truncate(pvSize); err != nil {
			t.Fatal(err)
		}
		file.Close()
		loop := strings.TrimSpace(f.run("losetup", "--find", "--show", path))
		t.Cleanup(func() { _ = exec.Command(mustTool(t, "losetup"), "-d", loop).Run() })
		f.files = append(f.files, path)
		f.loops = append(f.loops, loop)
	}
	return f
}

func lookTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name), nil
		}
	}
	return "", fmt.Errorf("%s not found", name)
}

func mustTool(t testing.TB, name string) string {
	p, err := lookTool(name)
	if err != nil {
		t.Fatalf("%v: run scripts/test-deps.sh", err)
	}
	return p
}

func (f *lvmFixture) run(name string, args ...string) string {
	f.t.Helper()
	cmd := exec.Command(mustTool(f.t, name), args...)
	cmd.Env = append(os.Environ(), "LVM_SYSTEM_DIR="+f.sysDir, "LVM_SUPPRESS_FD_WARNINGS=1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		f.t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// lvm runs an lvm command confined to the fixture's loop devices.
func (f *lvmFixture) lvm(args ...string) string {
	var accept []string
	for _, l := range f.loops {
		accept = append(accept, fmt.Sprintf(`"a|^%s$|"`, regexp.QuoteMeta(l)))
	}
	config := fmt.Sprintf(`devices { use_devicesfile=0 hints="none" obtain_device_list_from_udev=0 filter=[%s,"r|.*|"] }
activation { udev_sync=0 udev_rules=0 monitoring=0 }
backup { backup=0 archive=0 }
global { use_lvmpolld=0 locking_dir=%q }`, strings.Join(accept, ","), f.lockDir)
	full := append([]string{args[0], "--config", config}, args[1:]...)
	return f.run("lvm", full...)
}

// layout is what lvm itself reports about the PVs and LV segments.
type layout struct {
	extentSize int64
	pvs        map[string]pvInfo // by device
	segments   map[string][]segInfo
	seqno      int64
}

type pvInfo struct {
	uuid    string
	peStart int64
	file    string
}

type segInfo struct {
	startPE, sizePE int64
	device          string
	pvPE            int64
}

func (f *lvmFixture) layout() layout {
	f.t.Helper()
	var pvs struct {
		Report []struct {
			PV []map[string]string `json:"pv"`
		} `json:"report"`
	}
	f.decode(f.lvm("pvs", "--driverloaded", "n", "--reportformat", "json", "--units", "b", "--nosuffix",
		"-o", "pv_name,pv_uuid,pe_start,vg_extent_size,vg_seqno"), &pvs)
	l := layout{pvs: map[string]pvInfo{}, segments: map[string][]segInfo{}}
	for _, p := range pvs.Report[0].PV {
		l.extentSize = f.atoi(p["vg_extent_size"])
		l.seqno = f.atoi(p["vg_seqno"])
		file := ""
		for i, loop := range f.loops {
			if loop == p["pv_name"] {
				file = f.files[i]
			}
		}
		l.pvs[p["pv_name"]] = pvInfo{uuid: p["pv_uuid"], peStart: f.atoi(p["pe_start"]), file: file}
	}
	var lvs struct {
		Report []struct {
			Seg []map[string]string `json:"seg"`
		} `json:"report"`
	}
	f.decode(f.lvm("lvs", "--driverloaded", "n", "--reportformat", "json", "--segments",
		"-o", "lv_name,seg_start_pe,seg_size_pe,seg_pe_ranges"), &lvs)
	// seg_pe_ranges of a linear segment: "/dev/loop3:4-5".
	rangeRE := regexp.MustCompile(`^(\S+):(\d+)-(\d+)$`)
	for _, s := range lvs.Report[0].Seg {
		m := rangeRE.FindStringSubmatch(s["seg_pe_ranges"])
		if m == nil {
			continue // striped over several PVs: not written to
		}
		l.segments[s["lv_name"]] = append(l.segments[s["lv_name"]], segInfo{
			startPE: f.atoi(s["seg_start_pe"]), sizePE: f.atoi(s["seg_size_pe"]),
			device: m[1], pvPE: f.atoi(m[2]),
		})
	}
	return l
}

func (f *lvmFixture) decode(out string, v any) {
	f.t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		f.t.Fatalf("lvm report: %v\n%s", err, out)
	}
}

func (f *lvmFixture) atoi(s string) int64 {
	f.t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.t.Fatalf("lvm report number %q: %v", s, err)
	}
	return n
}

// pattern is the content written into an LV: every 512-byte block names
// its LV and its offset, so a misplaced extent is caught.
func pattern(lv string, off, n int64) []byte {
	b := make([]byte, 0, n)
	for blk := off / 512; int64(len(b)) < n; blk++ {
		line := fmt.Sprintf("%s@%d;", lv, blk*512)
		b = append(b, strings.Repeat(line, 512/len(line)+1)[:512]...)
	}
	return b
}

// fill writes pattern(lv) into every segment of lv with dd, at the PV
// offsets lvm reports.
func (f *lvmFixture) fill(l layout, lv string) {
	f.t.Helper()
	for i, s := range l.segments[lv] {
		pv := l.pvs[s.device]
		data := pattern(lv, s.startPE*l.extentSize, s.sizePE*l.extentSize)
		src := filepath.Join(f.dir, fmt.Sprintf("%s-seg%d", lv, i))
		if err := os.WriteFile(src, data, 0o600); err != nil {
			f.t.Fatal(err)
		}
		seek := (pv.peStart + s.pvPE*l.extentSize) / 512
		f.run("dd", "if="+src, "of="+pv.file, "bs=512", fmt.Sprintf("seek=%d", seek), "conv=notrunc", "status=none")
	}
}

func openFile(t testing.TB, path string) (*os.File, int64) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close() })
	st, err := file.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return file, st.Size()
}
