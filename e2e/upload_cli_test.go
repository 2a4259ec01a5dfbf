package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

// `uimport upload` against the simulator over loopback HTTPS: the host is
// found by DescribeBucket (the simulator answers its own endpoint), every
// object call is signature-checked, parts are 4 MiB as UFile's BlkSize.

const mib = 1 << 20

func uploadArgs(api *tlsAPI, file string, extra ...string) []string {
	return append([]string{"upload", file, "--bucket", demoapi.DemoBucket, "--base-url", api.URL}, extra...)
}

// A part answered 500 twice and a connection cut in the middle of another
// are retried; what UFile keeps is exactly the file.
func TestUploadSurvivesFaults(t *testing.T) {
	api := startTLSAPI(t)
	file := randomFile(t, "disk.raw", 32*mib) // 8 parts
	api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{1}, Status: http.StatusInternalServerError, Times: 2})
	api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{3}, Cut: true, Times: 1})

	r := run(t, runOpts{Env: api.env()}, uploadArgs(api, file, "--skip-check")...)
	wantCode(t, r, 0)
	if want := api.objectURL(demoapi.DemoBucket, "disk.raw") + "\n"; r.Stdout != want {
		t.Errorf("stdout = %q, want the object URL alone: %q", r.Stdout, want)
	}
	api.wantStored(t, demoapi.DemoBucket, "disk.raw", file)
	ids := api.uploadIDs()
	if len(ids) != 1 {
		t.Fatalf("upload ids %v, want one", ids)
	}
	faulted := 0
	for _, q := range api.UploadRequests() {
		if q.Faulted {
			faulted++
		}
	}
	if faulted != 3 {
		t.Errorf("%d faulted calls, want 3 (two 500s and a cut)", faulted)
	}
	for n, c := range api.PartsStored(ids[0]) {
		if c != 1 {
			t.Errorf("part %d stored %d times", n, c)
		}
	}
	wantIn(t, "stderr", r.Stderr, "bucket demo-bucket (public)", "verified: UFile's ETag matches the file")
	noNoise(t, r)
}

// --output json carries the object's facts; --ufile-endpoint (here by its
// environment variable) replaces the host DescribeBucket would give.
func TestUploadJSONAndEndpoint(t *testing.T) {
	api := startTLSAPI(t)
	file := randomFile(t, "small.img", 6*mib)
	env := append(api.env(), "UCLOUD_UFILE_ENDPOINT="+demoapi.UFileEndpoint(api.URL, "other"))
	r := run(t, runOpts{Env: env}, "upload", file, "--bucket", "other", "--key", "dir/a b.img",
		"--base-url", api.URL, "--skip-check", "-o", "json")
	wantCode(t, r, 0)
	var got map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.Stdout)
	}
	_, etag, _ := api.UploadedObject("other", "dir/a b.img")
	want := map[string]any{"url": api.objectURL("other", "dir/a b.img"), "bucket": "other", "key": "dir/a b.img",
		"size": float64(6 * mib), "etag": etag, "verified": true, "resumed": false}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	api.wantStored(t, "other", "dir/a b.img", file)
}

// A part stored corrupted, with the server answering the ETag of what it
// received (the disk "rotted" afterwards): only the finished object's ETag
// shows it. That is exit 6, and never a URL.
func TestUploadCorruptPartIsExit6(t *testing.T) {
	api := startTLSAPI(t)
	file := randomFile(t, "disk.raw", 16*mib)
	api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{2}, CorruptSilently: true, Times: 1})
	r := run(t, runOpts{Env: api.env()}, uploadArgs(api, file, "--skip-check")...)
	wantCode(t, r, 6)
	if r.Stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.Stdout)
	}
	wantIn(t, "stderr", r.Stderr, "integrity check failed", "Do not import this object")
	wantNotIn(t, "stderr", r.Stderr, "✓ Uploaded")
	noNoise(t, r)
}

// A refused signature or permission stops at once with exit 3: no retry
// can fix keys.
func TestUploadRefusedIsExit3AtOnce(t *testing.T) {
	t.Run("wrong private key", func(t *testing.T) {
		api := startTLSAPI(t)
		file := randomFile(t, "disk.raw", 8*mib)
		env := append(api.env(), "UCLOUD_PRIVATE_KEY=wrong-"+demoapi.PrivateKey)
		// DescribeBucket is refused too (171), so the endpoint is given.
		r := run(t, runOpts{Env: env}, uploadArgs(api, file, "--skip-check", "--ufile-endpoint", demoapi.UFileEndpoint(api.URL, demoapi.DemoBucket))...)
		wantCode(t, r, 3)
		wantIn(t, "stderr", r.Stderr, "invalid signature", "Check that the keys")
		if n := len(api.UploadRequests()); n != 1 {
			t.Errorf("%d object calls, want 1 (Initiate, refused, not retried)", n)
		}
		if r.Stdout != "" || r.Elapsed > 5*time.Second {
			t.Errorf("stdout %q after %v; want nothing, at once", r.Stdout, r.Elapsed)
		}
	})
	t.Run("part refused", func(t *testing.T) {
		api := startTLSAPI(t)
		file := randomFile(t, "disk.raw", 8*mib)
		api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Status: http.StatusForbidden, RetCode: ufile.RetInvalidSignature, Message: "no permission"})
		r := run(t, runOpts{Env: api.env()}, uploadArgs(api, file, "--skip-check", "--parallel", "1")...)
		wantCode(t, r, 3)
		parts := 0
		for _, q := range api.UploadRequests() {
			if q.Op == demoapi.OpPart {
				parts++
			}
		}
		if parts != 1 || r.Stdout != "" {
			t.Errorf("%d part calls, stdout %q; want 1 and nothing", parts, r.Stdout)
		}
	})
}
