package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// Issue 13: what is uploaded is the data, not the virtual size.

// sparseRawDisk is a sparse RAW of size bytes with 1 MiB of
// pseudo-random data every `every` bytes.
func sparseRawDisk(t *testing.T, size, every int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.raw")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(randomFile(t, "data", mib))
	if err != nil {
		t.Fatal(err)
	}
	for off := int64(0); off < size; off += every {
		src[0] = byte(off >> 20)
		if _, err := f.WriteAt(src, off); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func tool(t *testing.T, name string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is missing: run scripts/test-deps.sh", name)
	}
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// A .raw.xz is unpacked and made qcow2 on the way; kill -9 in the middle,
// and the same command resumes without sending a stored part again, and
// UFile ends with the same guest disk as the RAW.
func TestUploadXZResumesAfterKill(t *testing.T) {
	api := startTLSAPI(t)
	home := t.TempDir()
	raw := sparseRawDisk(t, 256*mib, 8*mib) // 32 MiB of data: 9 parts of 4 MiB as qcow2
	tool(t, "xz", "-T1", "-0", "-k", raw)
	args := uploadArgs(api, raw+".xz", "--parallel", "2", "--key", "disk.qcow2")
	opts := runOpts{Env: api.env(), Home: home}
	settle := func() {
		waitFor(t, 10*time.Second, "no part in flight", func() bool { return api.PartsInFlight() == 0 })
	}

	api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{3, 4, 5, 6, 7, 8}, BytesPerSecond: 2 << 20})
	p := startBin(t, opts, args...)
	waitFor(t, 30*time.Second, "parts 0 to 2 stored, a later one in flight", func() bool {
		ids := api.uploadIDs()
		if len(ids) == 0 {
			return false
		}
		got := api.PartsStored(ids[0])
		return got[0] > 0 && got[1] > 0 && got[2] > 0 && api.PartsInFlight() > 0
	})
	r := p.stop(t, syscall.SIGKILL)
	wantIn(t, "stderr", r.Stderr, "xz → raw → qcow2 (32 MiB of data in a 256 MiB disk)")
	settle()

	api.ClearUploadFaults()
	r = run(t, opts, append(args, "-o", "json")...)
	wantCode(t, r, 0)
	var out struct {
		Size        int64 `json:"size"`
		Resumed     bool  `json:"resumed"`
		Converted   bool  `json:"converted"`
		VirtualSize int64 `json:"virtual_size"`
		DataBytes   int64 `json:"data_bytes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.Stdout)
	}
	if !out.Resumed || !out.Converted || out.VirtualSize != 256*mib || out.DataBytes != 32*mib || out.Size > 34*mib {
		t.Errorf("stdout %s", r.Stdout)
	}
	wantIn(t, "stderr", r.Stderr, "Resumed the interrupted upload")
	settle()
	ids := api.uploadIDs()
	if len(ids) != 1 {
		t.Fatalf("upload ids %v: want one upload, resumed", ids)
	}
	for n, k := range api.PartsStored(ids[0]) {
		if k != 1 {
			t.Errorf("part %d stored %d times", n, k)
		}
	}
	stored, _, ok := api.UploadedObject(demoapi.DemoBucket, "disk.qcow2")
	if !ok {
		t.Fatal("nothing stored")
	}
	tool(t, "qemu-img", "check", "-f", "qcow2", stored)
	tool(t, "qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, stored)
}

// import --file of a RAW declares what is sent: qcow2.
func TestImportFileRawDeclaresQcow2(t *testing.T) {
	api := startTLSAPI(t)
	raw := sparseRawDisk(t, 64*mib, 16*mib)
	r := run(t, runOpts{Env: api.env()}, fileImportArgs(api.URL, raw, demoapi.DemoBucket, "--yes", "--skip-check")...)
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "raw → qcow2 (4 MiB of data in a 64 MiB disk)")
	for _, q := range api.Requests() {
		if q.Action == "ImportCustomImage" && q.Params["Format"] != "qcow2" {
			t.Errorf("Format=%s, want qcow2", q.Params["Format"])
		}
	}
	stored, _, _ := api.UploadedObject(demoapi.DemoBucket, "disk.raw")
	tool(t, "qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, stored)

	// --as-is sends the RAW unchanged, declared RAW.
	r = run(t, runOpts{Env: api.env()}, fileImportArgs(api.URL, raw, demoapi.DemoBucket, "--yes", "--skip-check", "--as-is", "--format", "RAW", "--key", "asis.raw")...)
	wantCode(t, r, 0)
	api.wantStored(t, demoapi.DemoBucket, "asis.raw", raw)
}

// A corrupt .xz stops with a clear error, and nothing is imported.
func TestImportFileCorruptXZ(t *testing.T) {
	api := startTLSAPI(t)
	raw := sparseRawDisk(t, 32*mib, 4*mib)
	tool(t, "xz", "-T1", "-0", "-k", raw)
	b, err := os.ReadFile(raw + ".xz")
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x5a
	os.WriteFile(raw+".xz", b, 0o600)
	r := run(t, runOpts{Env: api.env()}, fileImportArgs(api.URL, raw+".xz", demoapi.DemoBucket, "--yes")...)
	if r.Code == 0 {
		t.Fatal("a corrupt .xz was imported")
	}
	wantIn(t, "stderr", r.Stderr, "disk.raw.xz is not valid xz data", "xz -dk disk.raw.xz")
	for _, q := range api.Requests() {
		if q.Action == "ImportCustomImage" {
			t.Error("ImportCustomImage was sent")
		}
	}
	if bytes.Contains([]byte(r.Stdout), []byte("uimage-")) {
		t.Errorf("stdout %q", r.Stdout)
	}
}
