package imageformat

import (
	"testing"
)

// FuzzSniff: any bytes, any tail, any size — Sniff must not panic, and its
// result must be internally consistent.
func FuzzSniff(f *testing.F) {
	seeds := [][]byte{
		qcow2Image(qcowOpts{version: 3, size: gib, backing: "b"})[:4096],
		vmdkSparse(2048, 3, vmdkDescriptor("monolithicSparse", "ffffffff", `RW 2048 SPARSE "x.vmdk"`))[:2048],
		[]byte(vmdkDescriptor("vmfs", "1", `RW 1 VMFS "a"`)),
		fixedVHD(2048),
		dynamicVHD(3, gib),
		gzipOf([]byte("QFI\xfb")),
		tarArchive("a.ovf", "b.vmdk"),
		isoImage()[:0x8010],
		gptDisk(8192),
	}
	for _, s := range seeds {
		f.Add(s, s[max(0, len(s)-TailSize):], int64(len(s)))
		f.Add(s, []byte(nil), int64(-1))
	}
	f.Fuzz(func(t *testing.T, head, tail []byte, size int64) {
		r := Sniff(head, tail, size)
		if len(r.Warnings) != len(r.WarningFixes) {
			t.Fatalf("%d warnings, %d fixes", len(r.Warnings), len(r.WarningFixes))
		}
		if r.Accepted != (r.Reason == "") && r.Format != "" {
			t.Fatalf("Accepted %v with Reason %q", r.Accepted, r.Reason)
		}
		if r.Accepted && !Importable(r.Format) {
			t.Fatalf("accepted format %q", r.Format)
		}
		if r.VirtualSize < 0 {
			t.Fatalf("VirtualSize %d", r.VirtualSize)
		}
		_ = r.Mismatch("qcow2")
	})
}
