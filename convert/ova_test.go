package convert

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/imageformat"
)

// ovf writes a descriptor naming the given disk files, as VMware and
// VirtualBox write them (namespaced attributes).
func ovf(files ...string) string {
	var refs, disks strings.Builder
	for i, f := range files {
		fmt.Fprintf(&refs, `    <File ovf:href="%s" ovf:id="file%d" ovf:size="1"/>`+"\n", f, i+1)
		fmt.Fprintf(&disks, `    <Disk ovf:capacity="40" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk%d" ovf:fileRef="file%d" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>`+"\n", i+1, i+1)
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope vmw:buildId="build-1" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:vmw="http://www.vmware.com/schema/ovf">
  <References>
` + refs.String() + `  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="1" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="blank"/>
` + disks.String() + `  </DiskSection>
  <VirtualSystem ovf:id="vm"><Info>A virtual machine</Info></VirtualSystem>
</Envelope>
`
}

// makeOVA builds appliance.ova with tar from an OVF and qemu-img VMDKs
// (streamOptimized, as OVAs carry them) made from the RAW disks given.
func makeOVA(t *testing.T, raws ...string) string {
	t.Helper()
	need(t, "qemu-img")
	need(t, "tar")
	dir := t.TempDir()
	var names []string
	for i, raw := range raws {
		name := fmt.Sprintf("appliance-disk%d.vmdk", i+1)
		run(t, "qemu-img", "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", raw, filepath.Join(dir, name))
		names = append(names, name)
	}
	os.WriteFile(filepath.Join(dir, "appliance.ovf"), []byte(ovf(names...)), 0o600)
	os.WriteFile(filepath.Join(dir, "appliance.mf"), []byte("SHA256(appliance.ovf)= 00\n"), 0o600)
	ova := filepath.Join(dir, "appliance.ova")
	run(t, "tar", append([]string{"-cf", ova, "-C", dir, "--format=ustar", "appliance.ovf", "appliance.mf"}, names...)...)
	return ova
}

func TestPlanOVA(t *testing.T) {
	raw := sparseRaw(t, 40<<20, 0, 13<<20, 40<<20-4096)
	ova := makeOVA(t, raw)
	vmdk := filepath.Join(filepath.Dir(ova), "appliance-disk1.vmdk")
	p := plan(t, ova, Options{})
	if p.Format != imageformat.VMDK || !p.RandomAccess || !p.Converted || p.Steps != "ova → vmdk ("+imageformat.HumanSize(p.Size)+" unpacked)" {
		t.Fatalf("plan %+v", p)
	}
	sent := produce(t, p)
	if string(mustRead(t, sent)) != string(mustRead(t, vmdk)) {
		t.Fatal("the disk sent is not the OVA's VMDK")
	}
	sameDisk(t, raw, "vmdk", sent)

	// The same OVA compressed: found on a read through, streamed.
	gz := packed(t, ova, "gzip")
	pg := plan(t, gz, Options{})
	if pg.Format != imageformat.VMDK || pg.RandomAccess || pg.Steps != "gzip → ova → vmdk ("+imageformat.HumanSize(p.Size)+" unpacked)" {
		t.Fatalf("gzip plan %+v", pg)
	}
	sameDisk(t, raw, "vmdk", produce(t, pg))
}

func TestPlanOVAWithARawDisk(t *testing.T) {
	raw := sparseRaw(t, 16<<20, 0, 9<<20)
	dir := t.TempDir()
	os.Link(raw, filepath.Join(dir, "disk.img"))
	os.WriteFile(filepath.Join(dir, "a.ovf"), []byte(strings.ReplaceAll(ovf("disk.img"), "vmdk.html#streamOptimized", "raw")), 0o600)
	ova := filepath.Join(dir, "a.ova")
	run(t, "tar", "-cf", ova, "-C", dir, "a.ovf", "disk.img")
	p := plan(t, ova, Options{})
	if p.Format != imageformat.QCOW2 || !p.RandomAccess || !strings.HasPrefix(p.Steps, "ova → raw → qcow2") {
		t.Fatalf("plan %+v", p)
	}
	sameDisk(t, raw, p.Format, produce(t, p))
}

func TestPlanOVARefusals(t *testing.T) {
	a, b := sparseRaw(t, 4<<20, 0), sparseRaw(t, 4<<20, 0)
	var md *MultiDiskError
	_, err := NewPlan(context.Background(), makeOVA(t, a, b), Options{})
	if !errors.As(err, &md) || !strings.Contains(err.Error(), "appliance-disk1.vmdk (vmdisk1), appliance-disk2.vmdk (vmdisk2)") {
		t.Fatalf("two disks: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.raw"), make([]byte, 4096), 0o600)
	os.WriteFile(filepath.Join(dir, "x.ovf"), []byte(ovf("missing.vmdk")), 0o600)
	noOVF := filepath.Join(dir, "no-ovf.tar")
	run(t, "tar", "-cf", noOVF, "-C", dir, "x.raw")
	if _, err := NewPlan(context.Background(), noOVF, Options{}); err == nil || !strings.Contains(err.Error(), `first file is "x.raw"`) {
		t.Fatalf("a tar without OVF: %v", err)
	}
	missing := filepath.Join(dir, "missing.ova")
	run(t, "tar", "-cf", missing, "-C", dir, "x.ovf", "x.raw")
	if _, err := NewPlan(context.Background(), missing, Options{}); err == nil || !strings.Contains(err.Error(), `no file "missing.vmdk"`) {
		t.Fatalf("a missing disk: %v", err)
	}
}

func TestParseOVF(t *testing.T) {
	d, err := parseOVF([]byte(ovf("d.vmdk")))
	if err != nil || d.Member != "d.vmdk" || d.DiskID != "vmdisk1" || !strings.HasSuffix(d.Format, "#streamOptimized") {
		t.Fatalf("%+v %v", d, err)
	}
	for name, desc := range map[string]string{
		"not xml":     "hello",
		"no disk":     `<Envelope><References/><DiskSection/></Envelope>`,
		"remote disk": ovf("http://example.com/d.vmdk"),
		"odd packing": strings.Replace(ovf("d.vmdk"), `ovf:size="1"`, `ovf:compression="lzma"`, 1),
	} {
		if _, err := parseOVF([]byte(desc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
