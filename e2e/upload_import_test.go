package e2e

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// `uimport import --file`: check, upload, import, in one command.

// fileImportArgs is a complete import of file via bucket, against base.
func fileImportArgs(base, file, bucket string, extra ...string) []string {
	return append([]string{"import", "--file", file, "--bucket", bucket, "--region", "cn-bj2", "--name", "web",
		"--os-type", "CentOS", "--os-name", testOsName, "--base-url", base}, extra...)
}

// The Done of the issue: no account, one command, an ImageId.
func TestImportFileDemo(t *testing.T) {
	file := sampleImage(t, "disk.qcow2", 12*mib)
	r := run(t, runOpts{}, "import", "--demo", "--file", file, "--bucket", "demo-bucket", "--yes")
	wantCode(t, r, 0)
	if id := strings.TrimSuffix(r.Stdout, "\n"); !imageID.MatchString(id) {
		t.Fatalf("stdout = %q, want an ImageId alone", r.Stdout)
	}
	wantIn(t, "stderr", r.Stderr, "File checked: qcow2", "verified: UFile's ETag matches the file", "Import submitted: uimage-")
	noNoise(t, r)
}

// A qcow2 declared VMDK is caught before anything leaves the machine: not
// one object call, not even an API call.
func TestImportFileFormatMismatchSendsNothing(t *testing.T) {
	api := startTLSAPI(t)
	file := sampleImage(t, "disk.vmdk", 8*mib)
	r := run(t, runOpts{Env: api.env()}, fileImportArgs(api.URL, file, demoapi.DemoBucket, "--format", "VMDK", "--yes")...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "the file is qcow2 but the format given is VMDK", "Nothing was sent")
	if n, m := len(api.UploadRequests()), len(api.Requests()); n != 0 || m != 0 {
		t.Errorf("the server saw %d object calls and %d API calls, want none", n, m)
	}
}

// A private bucket's object is imported through a 24 h pre-signed URL
// that really opens it; the journal keeps the URL without its signature.
func TestImportFilePrivateBucketPresigned(t *testing.T) {
	api := startTLSAPI(t)
	home := t.TempDir()
	file := sampleImage(t, "disk.qcow2", 6*mib)
	r := run(t, runOpts{Env: api.env(), Home: home}, fileImportArgs(api.URL, file, demoapi.DemoPrivateBucket, "--yes")...)
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "bucket demo-private (private)", "pre-signed GET URL valid for 24h")

	var sent string
	for _, q := range api.Requests() {
		if q.Action == "ImportCustomImage" {
			sent = q.Params["UFileUrl"]
		}
	}
	bare := api.objectURL(demoapi.DemoPrivateBucket, "disk.qcow2")
	u, err := url.Parse(sent)
	if err != nil || !strings.HasPrefix(sent, bare+"?") {
		t.Fatalf("UFileUrl = %q, want %s?<signature>", sent, bare)
	}
	for _, k := range []string{"Expires", "Signature", "UCloudPublicKey"} {
		if u.Query().Get(k) == "" {
			t.Errorf("UFileUrl lacks %s: %s", k, sent)
		}
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: trustConfig(t, api)}}
	for link, want := range map[string]int{sent: 200, bare: 403} {
		resp, err := client.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: HTTP %d, want %d", link, resp.StatusCode, want)
		}
	}

	j, err := os.ReadFile(filepath.Join(home, ".local", "state", "uimport", "imports.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, "journal", string(j), `"UFileUrl":"`+bare+`"`)
	wantNotIn(t, "journal", string(j), "Signature=", "Expires=", u.Query().Get("Signature"))
}

// --dry-run checks the file and shows the request with the URL it would
// have; nothing is uploaded. A RAW image of mostly zeros declared RAW
// goes as it is, with the hint that without --format only its data would
// be sent.
func TestImportFileDryRun(t *testing.T) {
	api := startTLSAPI(t)
	file := filepath.Join(t.TempDir(), "disk.raw")
	mbr := make([]byte, 512)
	mbr[446], mbr[450], mbr[510], mbr[511] = 0x80, 0x83, 0x55, 0xaa
	if err := os.WriteFile(file, mbr, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(file, 300*mib); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	r := run(t, runOpts{Env: api.env()}, fileImportArgs(api.URL, file, demoapi.DemoBucket, "--format", "RAW", "--dry-run")...)
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, "UFileUrl", api.objectURL(demoapi.DemoBucket, "disk.raw"))
	wantIn(t, "stderr", r.Stderr, "only its data would be sent", "Dry run: nothing was uploaded")
	if n := len(api.UploadRequests()); n != 0 {
		t.Errorf("%d object calls in a dry run, want none", n)
	}
	for _, q := range api.Requests() {
		if q.Action != "DescribeBucket" {
			t.Errorf("dry run sent %s", q.Action)
		}
	}

	r = run(t, runOpts{Env: api.env()}, append(fileImportArgs(api.URL, file, demoapi.DemoBucket, "--format", "RAW"),
		"--url", "https://b.cn-bj.ufileos.com/x.raw", "--yes")...)
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, "mutually exclusive")
}
