package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// The upload flows keep the private key out of everything they print and
// write: the resume state of an interrupted upload, the journal of a
// pre-signed import, dry runs, JSON. On the way, --abort is shown to
// forget an interrupted upload on UFile and locally.
func TestUploadSecretNeverPrintedOrWritten(t *testing.T) {
	api := startTLSAPI(t)
	api.AddAccount(secretPub, secretPriv)
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "tmp"), 0o700)
	lc := &leakChecker{t: t, home: home}
	env := []string{"UCLOUD_PUBLIC_KEY=" + secretPub, "UCLOUD_PRIVATE_KEY=" + secretPriv, "SSL_CERT_FILE=" + api.certFile}
	big := randomFile(t, "big.raw", 12*mib)
	img := sampleImage(t, "disk.qcow2", 6*mib)
	step := func(name string, code int, args ...string) {
		t.Helper()
		if r := lc.run(name, runOpts{Env: env}, args...); r.Code != code {
			t.Errorf("%s: exit %d, want %d\nstderr:\n%s", name, r.Code, code, r.Stderr)
		}
	}

	// An interrupted upload leaves its state file behind: scanned below.
	api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{1, 2}, BytesPerSecond: 2 << 20})
	p := startBin(t, runOpts{Env: append(env, "TMPDIR="+filepath.Join(home, "tmp")), Home: home},
		uploadArgs(api, big, "--skip-check", "--parallel", "1")...)
	waitFor(t, 15*time.Second, "part 0 stored", func() bool {
		ids := api.uploadIDs()
		return len(ids) > 0 && api.PartsStored(ids[0])[0] == 1
	})
	r := p.stop(t, syscall.SIGINT)
	lc.outputs = append(lc.outputs, "interrupted stdout\x00"+r.Stdout, "interrupted stderr\x00"+r.Stderr)
	waitFor(t, 10*time.Second, "no part in flight", func() bool { return api.PartsInFlight() == 0 })
	states, _ := filepath.Glob(filepath.Join(home, ".local", "state", "uimport", "uploads", "*"))
	if len(states) == 0 {
		t.Fatal("no upload state was left to scan")
	}
	for _, s := range states {
		if fi, err := os.Stat(s); err == nil && !fi.IsDir() && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", s, fi.Mode().Perm())
		}
	}
	scanHome(t, home, "")
	api.ClearUploadFaults()

	// --abort forgets it, on UFile and here.
	step("upload abort", 0, uploadArgs(api, big, "--abort")...)
	if n := api.PendingUploads(); n != 0 {
		t.Errorf("%d multipart uploads pending after --abort, want 0", n)
	}
	if left, _ := filepath.Glob(filepath.Join(home, ".local", "state", "uimport", "uploads", "*")); len(left) != 0 {
		t.Errorf("state left after --abort: %q", left)
	}
	step("upload after abort", 0, uploadArgs(api, big, "--skip-check")...)
	step("upload json", 0, uploadArgs(api, img, "-o", "json")...)
	step("upload abort nothing", 0, uploadArgs(api, img, "--abort")...)
	priv := fileImportArgs(api.URL, img, demoapi.DemoPrivateBucket)
	step("import --file private dry-run", 0, append(priv, "--dry-run")...)
	step("import --file private dry-run json", 0, append(priv, "--dry-run", "-o", "json")...)
	step("import --file private", 0, append(priv, "--yes")...)
	step("upload wrong bucket", 3, "upload", img, "--bucket", demoapi.DemoMissingBucket, "--region", "cn-bj2",
		"--base-url", api.URL, "--ufile-endpoint", demoapi.UFileEndpoint(api.URL, demoapi.DemoMissingBucket))
	step("upload help", 0, "upload", "--help")
	step("upload private-key flag", 2, "upload", img, "--private-key", secretPriv)

	for _, out := range lc.outputs {
		name, text, _ := strings.Cut(out, "\x00")
		if found := leaks(text); len(found) > 0 {
			t.Errorf("%s shows the private key (pieces %q):\n%s", name, found, text)
		}
	}
	scanHome(t, home, "")
	if _, err := os.Stat(filepath.Join(home, ".local", "state", "uimport", "imports.jsonl")); err != nil {
		t.Errorf("no journal under HOME: the import did not run (%v)", err)
	}
}
