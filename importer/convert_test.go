package importer

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
)

// sparseRaw is a 64 MiB sparse RAW with 64 KiB of data every 16 MiB.
func sparseRaw(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.raw")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Truncate(64 << 20)
	for off := int64(0); off < 64<<20; off += 16 << 20 {
		f.WriteAt([]byte(strings.Repeat("data", 16<<10)), off)
	}
	return path
}

func execTool(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s (run scripts/test-deps.sh): %v %s", name, err, out)
	}
}

func TestPrepareUploadSaysWhatIsSent(t *testing.T) {
	s, said := testSession(t, nil, false)
	raw := sparseRaw(t)
	p, v, err := s.PrepareUpload(context.Background(), FileSpec{Path: raw}, true, false)
	if err != nil || p == nil || p.Format != "qcow2" || v.Result.Format != "qcow2" || !v.Result.Accepted {
		t.Fatalf("plan %+v verdict %+v: %v", p, v, err)
	}
	if joined := strings.Join(*said, "\n"); !strings.Contains(joined, "Upload: raw → qcow2 (256 KiB of data in a 64 MiB disk).") {
		t.Errorf("said %q", *said)
	}
	// Declared RAW: the RAW goes as it is, and that is said.
	*said = nil
	p, _, err = s.PrepareUpload(context.Background(), FileSpec{Path: raw, Format: "RAW"}, true, false)
	if err != nil || p.Converted || p.Format != "RAW" || !strings.Contains(strings.Join(*said, "\n"), "sent as RAW") {
		t.Fatalf("declared RAW: %+v %v; said %q", p, err, *said)
	}
	// Declared something else: the check stops it, naming what is sent.
	_, _, err = s.PrepareUpload(context.Background(), FileSpec{Path: raw, Format: "VMDK"}, true, false)
	if err == nil || !strings.Contains(err.Error(), "the upload sends qcow2 (raw → qcow2") {
		t.Fatalf("declared VMDK: %v", err)
	}
}

func TestPrepareUploadCorruptXZ(t *testing.T) {
	s, _ := testSession(t, nil, false)
	raw := sparseRaw(t)
	execTool(t, "xz", "-T1", "-0", "-k", raw)
	b, _ := os.ReadFile(raw + ".xz")
	b[len(b)/2] ^= 0x33
	os.WriteFile(raw+".xz", b, 0o600)
	_, _, err := s.PrepareUpload(context.Background(), FileSpec{Path: raw + ".xz"}, true, true)
	if err == nil || !strings.Contains(err.Error(), "disk.raw.xz is not valid xz data") {
		t.Fatalf("want the xz error, even with --skip-check: %v", err)
	}
}

// The wizard's check: a RAW declared RAW is a mismatch whose fix is the
// format sent; a VDI asks before its qemu-img copy, with the space.
func TestCheckUpload(t *testing.T) {
	s, _ := testSession(t, nil, false)
	raw := sparseRaw(t)
	v, err := s.CheckUpload(context.Background(), raw, "RAW")
	var mm *FormatMismatch
	if err != nil || len(v.Blocking) != 1 || !errors.As(v.Blocking[0], &mm) || mm.File != "qcow2" || mm.Sent == "" {
		t.Fatalf("RAW declared RAW: %+v %v", v, err)
	}
	if v, _ := s.CheckUpload(context.Background(), raw, ""); len(v.Blocking) != 0 || !strings.Contains(strings.Join(v.Notes, " "), "Sent as raw → qcow2") {
		t.Fatalf("undeclared: %+v", v)
	}
	vdi := filepath.Join(t.TempDir(), "disk.vdi")
	execTool(t, "qemu-img", "convert", "-O", "vdi", raw, vdi)
	v, err = s.CheckUpload(context.Background(), vdi, "")
	if err != nil || len(v.Blocking) == 0 || !strings.Contains(v.Blocking[0].Error(), "must first be converted with qemu-img") ||
		!strings.Contains(v.Blocking[0].Error(), "free") {
		t.Fatalf("VDI: %+v %v", v, err)
	}
	// A file that is no image keeps the plain check's verdict.
	iso := filepath.Join(t.TempDir(), "x.iso")
	b := make([]byte, 1<<20)
	copy(b[0x8001:], "CD001")
	os.WriteFile(iso, b, 0o600)
	if v, _ := s.CheckUpload(context.Background(), iso, ""); len(v.Blocking) == 0 || v.Result.Format != "ISO" {
		t.Fatalf("ISO: %+v", v)
	}
}

// The wizard's "continue anyway" on a file that is no disk image uploads
// it as it is, as before.
func TestUploadOfANonImageGoesAsItIs(t *testing.T) {
	s, _ := testSession(t, nil, true)
	iso := filepath.Join(t.TempDir(), "x.iso")
	b := make([]byte, 5<<20)
	copy(b[0x8001:], "CD001")
	os.WriteFile(iso, b, 0o600)
	url, _, err := s.UploadForImport(context.Background(), UploadRequest{Path: iso, Bucket: s.DemoBucket(), AllowHTTP: true, Keys: apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}}, Progress{})
	if err != nil || !strings.HasSuffix(url, "/x.iso") {
		t.Fatalf("%q %v", url, err)
	}
}
