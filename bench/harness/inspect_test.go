package main

import "testing"

func TestCompareOS(t *testing.T) {
	ours := inspectAnswer{OS: "ubuntu 22.04", Arch: "x86_64", Root: "/dev/vda1 ext4"}
	same, differs, _ := compareOS(ours, []viOS{{Distro: "ubuntu", Major: "22", Minor: "4", Arch: "x86_64", Root: "/dev/sda1"}})
	if !same {
		t.Errorf("22.04 against 22 and 4: %v", differs)
	}
	same, differs, _ = compareOS(ours, []viOS{{Distro: "ubuntu", Major: "22", Minor: "4", Arch: "x86_64", Root: "/dev/sda2"}})
	if same || len(differs) != 1 {
		t.Errorf("another root partition: same=%v %v", same, differs)
	}
	if same, _, _ = compareOS(ours, nil); same {
		t.Error("no OS found by virt-inspector is not the same answer")
	}
}

func TestSizeHistogram(t *testing.T) {
	got := sizeHistogram([]int64{256 << 10, 256 << 10, 64 << 10, 4 << 20, 256 << 10})
	if want := "3×256 KiB, 1×4 MiB, 1×64 KiB"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
