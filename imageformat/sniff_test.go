package imageformat

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	ext4 := make([]byte, 4096)
	binary.LittleEndian.PutUint16(ext4[1080:], 0xef53)
	vdi := with(make([]byte, 512), 0, "<<< Oracle VM VirtualBox Disk Image >>>\n")
	binary.LittleEndian.PutUint32(vdi[0x40:], 0xbeda107f)

	tests := []struct {
		name     string
		data     []byte
		noTail   bool   // pass tail nil and size unknown
		format   string // want
		accepted bool
		detail   string // substring of a Detail, "" for none
		warning  string // substring of a Warning, "" for no warnings
	}{
		{"qcow2 v3", qcow2Image(qcowOpts{version: 3, size: 20 * gib}), false, QCOW2, true, "qcow2 v3, virtual size 20 GiB", ""},
		{"qcow2 v2", qcow2Image(qcowOpts{version: 2, size: 10 * gib}), false, QCOW2, true, "qcow2 v2, virtual size 10 GiB", ""},
		{"qcow2 backing file", qcow2Image(qcowOpts{version: 3, size: gib, backing: "base.qcow2"}), false, QCOW2, true, "", "backing file (base.qcow2)"},
		{"qcow2 LUKS", qcow2Image(qcowOpts{version: 3, size: gib, crypt: 2}), false, QCOW2, false, "", ""},
		{"qcow2 AES", qcow2Image(qcowOpts{version: 2, size: gib, crypt: 1}), false, QCOW2, false, "", ""},
		{"qcow2 dirty", qcow2Image(qcowOpts{version: 3, size: gib, incompat: qcowDirty}), false, QCOW2, true, "", "marked dirty"},
		{"qcow2 corrupt", qcow2Image(qcowOpts{version: 3, size: gib, incompat: qcowCorrupt}), false, QCOW2, true, "", "marked corrupt"},
		{"qcow2 external data", qcow2Image(qcowOpts{version: 3, size: gib, incompat: qcowExternalData}), false, QCOW2, true, "", "external file"},
		{"qcow2 zstd", qcow2Image(qcowOpts{version: 3, size: gib, incompat: qcowCompressType, compression: 1}), false, QCOW2, true, "", "zstd"},
		{"qcow2 subclusters", qcow2Image(qcowOpts{version: 3, size: gib, incompat: qcowExtendedL2}), false, QCOW2, true, "", "extended L2"},
		{"qcow2 unknown feature", qcow2Image(qcowOpts{version: 3, size: gib, incompat: 1 << 40}), false, QCOW2, true, "", "0x10000000000"},
		{"qcow2 v4", qcow2Image(qcowOpts{version: 4, size: gib}), false, QCOW2, true, "", "version 4 is unknown"},
		{"qcow v1", qcow2Image(qcowOpts{version: 1, size: gib}), false, "qcow", false, "", ""},
		{"qcow2 truncated", []byte("QFI\xfb\x00\x00\x00\x03"), false, QCOW2, false, "", ""},
		{"qcow2 short read", []byte("QFI\xfb\x00\x00\x00\x03"), true, QCOW2, true, "", "only 8 bytes"},

		{"VMDK monolithicSparse", vmdkSparse(41943040, 3, vmdkDescriptor("monolithicSparse", "ffffffff", `RW 41943040 SPARSE "disk.vmdk"`)), false, VMDK, true, "(monolithicSparse), virtual size 20 GiB", ""},
		{"VMDK streamOptimized", vmdkSparse(2097152, 3|vmdkCompressed|1<<17, vmdkDescriptor("streamOptimized", "ffffffff", `RW 2097152 SPARSE "disk.vmdk"`)), false, VMDK, true, "(streamOptimized), virtual size 1 GiB", ""},
		{"VMDK flagged stream, no descriptor", vmdkSparse(2097152, vmdkCompressed, ""), false, VMDK, true, "(streamOptimized)", ""},
		{"VMDK snapshot", vmdkSparse(2097152, 3, vmdkDescriptor("monolithicSparse", "1a2b3c4d")), false, VMDK, true, "", "snapshot (delta)"},
		{"VMDK descriptor only", []byte(vmdkDescriptor("monolithicFlat", "ffffffff", `RW 41943040 FLAT "my disk-flat.vmdk" 0`)), false, VMDK, true, "VMDK descriptor (monolithicFlat), virtual size 20 GiB", `extent files (my disk-flat.vmdk)`},
		{"VMDK split descriptor", []byte(vmdkDescriptor("twoGbMaxExtentSparse", "ffffffff", `RW 4192256 SPARSE "d-s001.vmdk"`, `RW 4192256 SPARSE "d-s002.vmdk"`)), false, VMDK, true, "", "d-s001.vmdk, d-s002.vmdk"},

		{"VHD fixed", fixedVHD(256 << 10), false, VHD, true, "VHD, fixed, virtual size 256 KiB", ""},
		{"VHD fixed GPT data", append(gptDisk(64<<10), vhdFooterBytes(2, 64<<10)...), false, VHD, true, "", "GPT"},
		{"VHD fixed 511-byte footer", append(mbrDisk(64<<10, 0x83), vhdFooterBytes(2, 64<<10)[:511]...), false, VHD, true, "VHD, fixed", ""},
		{"VHD fixed, end unknown", fixedVHD(128 << 10)[:64<<10], true, RAW, true, "MBR partition table, 1 partition(s)", ""},
		{"VHD dynamic", dynamicVHD(3, 40*gib), false, VHD, true, "VHD, dynamic, virtual size 40 GiB", ""},
		{"VHD dynamic, end unknown", dynamicVHD(3, 40*gib)[:4096], true, VHD, true, "VHD, dynamic", ""},
		{"VHD differencing", dynamicVHD(4, 40*gib), false, VHD, true, "VHD, differencing", "differencing VHD"},
		{"VHD bad checksum", with(fixedVHD(64<<10), 64<<10+40, "\x01"), false, VHD, true, "", "checksum is wrong"},
		{"VHD truncated dynamic", append(dynamicVHD(3, gib)[:4096], make([]byte, 512)...), false, VHD, true, "", "footer is missing from the end"},

		{"VHDX", with(make([]byte, 1024), 0, "vhdxfile"), false, "VHDX", false, "", ""},
		{"ISO", isoImage(), false, "ISO", false, "", ""},
		{"VDI", vdi, false, "VDI", false, "", ""},
		{"gzip of qcow2", gzipOf(qcow2Image(qcowOpts{version: 3, size: 20 * gib})), false, "gzip", false, "contains qcow2 (qcow2 v3, virtual size 20 GiB)", ""},
		{"gzip of tar", gzipOf(tarArchive("disk.raw")), false, "gzip", false, "contains tar", ""},
		{"gzip of gzip", gzipOf(gzipOf([]byte("x"))), false, "gzip", false, "contains gzip", ""},
		{"xz", []byte("\xfd7zXZ\x00\x00\x04"), false, "xz", false, "", ""},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x00"), false, "zstd", false, "", ""},
		{"bzip2", []byte("BZh91AY&SY"), false, "bzip2", false, "", ""},
		{"zip", []byte("PK\x03\x04\x14\x00"), false, "zip", false, "", ""},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), false, "7z", false, "", ""},
		{"tar", tarArchive("disk.img"), false, "tar", false, "contains disk.img", ""},
		{"OVA", tarArchive("appliance.ovf", "appliance-disk1.vmdk", "appliance.mf"), false, "OVA", false, "contains appliance-disk1.vmdk", ""},
		{"HTML page", []byte("\n<!DOCTYPE html><html><body>Sign in</body></html>"), false, "HTML", false, "", ""},
		{"OVF descriptor", []byte(`<?xml version="1.0"?><Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">`), false, "OVF", false, "", ""},
		{"empty", []byte{}, false, "empty", false, "", ""},

		{"RAW MBR", mbrDisk(1<<20, 0x83), false, RAW, true, "MBR partition table, 1 partition(s)", ""},
		{"RAW GPT", gptDisk(1 << 20), false, RAW, true, "GPT partition table", "GPT partition table, but UHost imports need MBR"},
		{"RAW GPT 4K sectors", with(mbrDisk(1<<20, 0x07), 4096, "EFI PART"), false, RAW, true, "GPT", "GPT"},
		{"RAW no MBR", make([]byte, 1<<20), false, RAW, true, "RAW, 1 MiB", "no MBR boot signature"},
		{"RAW empty MBR", mbrDisk(1<<20, 0), false, RAW, true, "", "lists no partitions"},
		{"RAW NTFS partition", with(mbrDisk(1<<20, 0), 3, "NTFS    "), false, RAW, true, "", "bare NTFS"},
		{"RAW FAT partition", with(mbrDisk(1<<20, 0), 82, "FAT32   "), false, RAW, true, "", "bare FAT"},
		{"RAW ext4", ext4, false, RAW, true, "", "bare ext2/3/4"},
		{"RAW XFS", with(make([]byte, 4096), 0, "XFSB"), false, RAW, true, "", "bare XFS"},
		{"RAW odd size", mbrDisk(1000, 0x83), false, RAW, true, "", "not a whole number of 512-byte sectors"},
		{"RAW tiny", []byte("hello"), false, RAW, true, "", "too small"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			head, tail, size := split(tc.data)
			if tc.noTail {
				tail, size = nil, -1
			}
			r := Sniff(head, tail, size)
			if r.Format != tc.format || r.Accepted != tc.accepted {
				t.Fatalf("Format %q Accepted %v, want %q %v (%+v)", r.Format, r.Accepted, tc.format, tc.accepted, r)
			}
			if !r.Accepted && (r.Reason == "" || r.Fix == "") {
				t.Errorf("not accepted without Reason/Fix: %+v", r)
			}
			if r.Accepted && (r.Reason != "" || r.Fix != "") {
				t.Errorf("accepted with Reason/Fix: %+v", r)
			}
			if tc.detail != "" && !containsAny(r.Details, tc.detail) {
				t.Errorf("Details %q lack %q", r.Details, tc.detail)
			}
			if tc.warning == "" && len(r.Warnings) > 0 {
				t.Errorf("unexpected Warnings %q", r.Warnings)
			}
			if tc.warning != "" && !containsAny(r.Warnings, tc.warning) {
				t.Errorf("Warnings %q lack %q", r.Warnings, tc.warning)
			}
			if len(r.Warnings) != len(r.WarningFixes) {
				t.Errorf("%d warnings but %d fixes", len(r.Warnings), len(r.WarningFixes))
			}
		})
	}
}

// split is what preflight fetches: up to HeadSize first bytes, the last
// TailSize bytes, and the size.
func split(b []byte) (head, tail []byte, size int64) {
	head = b[:min(len(b), HeadSize)]
	tail = b[max(0, len(b)-TailSize):]
	return head, tail, int64(len(b))
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestSniffEncryptionReason(t *testing.T) {
	r := Sniff(split(qcow2Image(qcowOpts{version: 3, size: gib, crypt: 2})))
	if !strings.Contains(r.Reason, "encrypted (LUKS)") || !strings.Contains(r.Fix, "qemu-img convert") {
		t.Errorf("Reason %q Fix %q", r.Reason, r.Fix)
	}
}

func TestSniffFixedVHDSizeMismatch(t *testing.T) {
	b := fixedVHD(64 << 10)
	// Pretend the object is larger than the footer says (padded upload).
	r := Sniff(b[:HeadSize], b[len(b)-TailSize:], int64(len(b))+4096)
	if !containsAny(r.Warnings, "may be truncated or padded") {
		t.Errorf("Warnings %q", r.Warnings)
	}
}

func TestSniffHeadIsWholeObject(t *testing.T) {
	// A small fixed VHD read entirely as head: its end is known without a
	// separate tail.
	b := fixedVHD(8 << 10)
	r := Sniff(b, nil, int64(len(b)))
	if r.Format != VHD || !r.EndChecked {
		t.Errorf("got %+v", r)
	}
	// A server that sent more than the object size: the excess is ignored.
	r = Sniff(append(b, make([]byte, 100)...), nil, int64(len(b)))
	if r.Format != VHD {
		t.Errorf("got %+v", r)
	}
}

func TestSniffNothing(t *testing.T) {
	r := Sniff(nil, nil, -1)
	if r.Format != "" || r.Accepted || r.Contradicts("qcow2") {
		t.Errorf("got %+v", r)
	}
}

func TestSniffLongTail(t *testing.T) {
	b := fixedVHD(8 << 10)
	r := Sniff(b[:1024], b, int64(len(b))) // tail longer than TailSize
	if r.Format != VHD {
		t.Errorf("got %+v", r)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 1023: "1023 B", 1024: "1 KiB", 1536: "1.5 KiB", 20 * gib: "20 GiB",
		20*gib + 1: "20.0 GiB", 1 << 40: "1 TiB", 1<<63 - 1: "8.0 EiB",
	} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
