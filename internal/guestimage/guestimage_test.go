package guestimage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProtofile(t *testing.T) {
	dir := t.TempDir()
	tree := Tree{"etc/os-release": File("ID=x\n"), "bin": Link("usr/bin"), "usr/bin/sh": Bytes(ELF(64)), "boot": Dir()}
	if err := tree.Create(filepath.Join(dir, "t")); err != nil {
		t.Fatal(err)
	}
	proto := filepath.Join(dir, "proto")
	if err := writeProtofile(proto, filepath.Join(dir, "t")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(proto)
	want := "/dev/null\n0 0\nd--755 0 0\n bin l--777 0 0 usr/bin\n boot d--755 0 0\n $\n etc d--755 0 0\n  os-release ---644 0 0 " +
		filepath.Join(dir, "t", "etc", "os-release") + "\n $\n usr d--755 0 0\n  bin d--755 0 0\n   sh ---644 0 0 " +
		filepath.Join(dir, "t", "usr", "bin", "sh") + "\n  $\n $\n$\n"
	if string(b) != want {
		t.Errorf("protofile:\n%s\nwant:\n%s", b, want)
	}
	if err := (Tree{"a b": File("")}).Create(filepath.Join(dir, "bad")); err != nil {
		t.Fatal(err)
	}
	if err := writeProtofile(proto, filepath.Join(dir, "bad")); err == nil {
		t.Error("a name with a space was written")
	}
}

func TestTreeRefusesEscapes(t *testing.T) {
	for _, p := range []string{"/etc/x", "../x", "a/../../x"} {
		if err := (Tree{p: File("")}).Create(t.TempDir()); err == nil {
			t.Errorf("%q was written", p)
		}
	}
}

func TestMBRNumbering(t *testing.T) {
	if missing := MissingTools(); len(missing) > 0 {
		t.Fatalf("missing %v: run scripts/test-deps.sh", missing)
	}
	d := Disk{Table: MBR, Parts: []Part{
		{Size: 2 * MiB, Type: TypeLinux},
		{Size: 2 * MiB, Type: TypeSwap, Logical: true},
		{Size: 2 * MiB, Type: TypeLinux, Logical: true},
		{Size: 2 * MiB, Type: TypeLinux},
	}}
	raw, err := d.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	starts, err := partitionStarts(raw)
	if err != nil {
		t.Fatal(err)
	}
	// Primaries 1 and 2, the extended 3, logicals 5 and 6.
	for i, want := range []int{1, 5, 6, 2} {
		if got := d.number(i); got != want {
			t.Errorf("part %d is number %d, want %d", i, got, want)
		}
		if _, ok := starts[want]; !ok {
			t.Errorf("partition %d not in the table: %v", want, starts)
		}
	}
	if _, ok := starts[3]; !ok {
		t.Errorf("no extended partition 3: %v", starts)
	}
}

func TestInitramfsLayout(t *testing.T) {
	b, err := Initramfs{Compression: "gzip", Microcode: true, Files: Tree{"x": File("y")}}.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "070701") {
		t.Fatal("no early cpio first")
	}
	i := strings.Index(string(b), "\x1f\x8b")
	if i <= 0 || i%512 != 0 {
		t.Errorf("gzip archive at %d, want after the early cpio padded to 512", i)
	}
}
