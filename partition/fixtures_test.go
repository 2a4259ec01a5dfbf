package partition

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// needTool fails (not skips) when a fixture tool is missing: CI installs them.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		for _, dir := range []string{"/usr/sbin", "/sbin"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return filepath.Join(dir, name)
			}
		}
		t.Fatalf("%s not found: run scripts/test-deps.sh", name)
	}
	return p
}

func run(t testing.TB, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// emptyDisk makes a sparse file of size bytes in t.TempDir().
func emptyDisk(t testing.TB, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// sfdiskPartition is one partition as `sfdisk --json` prints it.
type sfdiskPartition struct {
	Node     string `json:"node"`
	Start    int64  `json:"start"`
	Size     int64  `json:"size"`
	Type     string `json:"type"`
	Name     string `json:"name"`
	Bootable bool   `json:"bootable"`
}

type sfdiskTable struct {
	Label      string            `json:"label"`
	ID         string            `json:"id"`
	SectorSize int64             `json:"sectorsize"`
	Partitions []sfdiskPartition `json:"partitions"`
}

func sfdiskJSON(t testing.TB, path string) sfdiskTable {
	t.Helper()
	out := run(t, "", "sfdisk", "--json", path)
	var doc struct {
		PartitionTable sfdiskTable `json:"partitiontable"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("sfdisk --json: %v\n%s", err, out)
	}
	return doc.PartitionTable
}

// number is the partition number at the end of an sfdisk node name.
func (p sfdiskPartition) number(t testing.TB, path string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(p.Node, path))
	if err != nil {
		t.Fatalf("node %q: %v", p.Node, err)
	}
	return n
}

// mbrDisk: a 64 MiB disk with a zero disk signature, a bootable Linux
// primary, an LVM primary and an extended partition holding three
// logicals (Linux, swap, Linux), written by sfdisk.
func mbrDisk(t testing.TB) string {
	path := emptyDisk(t, 64<<20)
	run(t, `label: dos
label-id: 0x00000000
unit: sectors
start=2048, size=20480, type=83, bootable
start=22528, size=20480, type=8e
start=43008, type=5
size=8192, type=83
size=8192, type=82
type=83
`, "sfdisk", "-q", path)
	return path
}

// gptDisk: BIOS boot, ESP, /boot, x86-64 root and LVM, written by sgdisk.
func gptDisk(t testing.TB) string {
	path := emptyDisk(t, 64<<20)
	run(t, "", "sgdisk", "-o",
		"-n", "1:2048:+1M", "-t", "1:EF02", "-c", "1:bios",
		"-n", "2:0:+8M", "-t", "2:EF00", "-c", "2:EFI System",
		"-n", "3:0:+16M", "-t", "3:8300", "-c", "3:boot",
		"-n", "4:0:+16M", "-t", "4:8304", "-c", "4:root",
		"-n", "5:0:0", "-t", "5:8E00", "-c", "5:lvm",
		"-A", "3:set:2",
		path)
	return path
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
