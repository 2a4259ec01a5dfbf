package guestimage

import (
	"fmt"
	"os"
	"testing"
)

// Scenario is a realistic guest disk, described so a test can assert what
// an inspection must find in it.
type Scenario struct {
	Name string
	disk func(work string) (Disk, error)
}

// Build writes the scenario's disk as a sparse raw image under work.
func (s Scenario) Build(work string) (string, error) {
	d, err := s.disk(work)
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.Name, err)
	}
	raw, err := d.Build(work)
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.Name, err)
	}
	return raw, nil
}

// Disk returns the scenario's disk description without building it, for
// a caller that changes it first (bench/harness scales disks up to GiB).
func (s Scenario) Disk(work string) (Disk, error) { return s.disk(work) }

// BuildT builds the scenario in a test's temporary directory and converts
// it to format ("raw", "qcow2", "vmdk", "vmdk-stream", "vhd", "vhd-fixed").
// A missing tool fails the test with what to run.
func BuildT(t testing.TB, s Scenario, format string) string {
	t.Helper()
	if missing := MissingTools(); len(missing) > 0 {
		t.Fatalf("guestimage needs %v: run scripts/test-deps.sh", missing)
	}
	work := t.TempDir()
	raw, err := s.Build(work)
	if err != nil {
		t.Fatal(err)
	}
	if format == "" || format == "raw" {
		return raw
	}
	out, err := Convert(raw, format)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(raw)
	return out
}

// Scenarios are every distribution scenario, for tests that run them all.
func Scenarios() []Scenario {
	return []Scenario{Ubuntu2204GPT(), Ubuntu2204MBR(), Rocky9GPT(), Rocky8LVM(), CentOS7XFSv4(), CentOS6(), WindowsGPT(), BtrfsRoot()}
}

// The file system UUIDs the scenarios use, so tests can assert fix lines.
const (
	UbuntuRootUUID  = "2b9a5c4e-7d3f-4e21-9a8b-1c2d3e4f5a6b"
	Rocky9RootUUID  = "9c1f0e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f"
	Rocky9BootUUID  = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
	Rocky8BootUUID  = "4d5e6f70-8192-4a3b-9c4d-5e6f70819203"
	CentOS7RootUUID = "6e7f8091-a2b3-4c4d-8e5f-60718293a4b5"
	CentOS6RootUUID = "0f1e2d3c-4b5a-4697-8877-665544332211"
)

// Custom makes a scenario from a function that describes the disk (it may
// build initramfs images under work).
func Custom(name string, disk func(work string) (Disk, error)) Scenario {
	return Scenario{Name: name, disk: disk}
}
