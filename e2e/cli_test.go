package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
)

// startAPI serves a signature-checking simulator for one test. Images settle
// at once so nothing waits on polls.
func startAPI(t *testing.T) *demoapi.Server {
	t.Helper()
	srv := demoapi.New(demoapi.Options{MakingPolls: -1})
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// keyEnv is the demo key pair in the environment, the first source tried.
func keyEnv() []string {
	return []string{"UCLOUD_PUBLIC_KEY=" + demoapi.PublicKey, "UCLOUD_PRIVATE_KEY=" + demoapi.PrivateKey}
}

// The values of a valid import; importArgs turns them into flags.
const (
	testName   = "centos7-web 中文"
	testURL    = "https://mybucket.cn-bj.ufileos.com/img/centos7.qcow2"
	testOsName = "CentOS 7.9 64位"
)

// importArgs is a complete `import` against base, then extra flags. A later
// flag of the same name wins, so extra can override any value.
func importArgs(base string, extra ...string) []string {
	// testURL is not served here; the object check has its own tests.
	args := []string{"import", "--region", "cn-bj2", "--name", testName, "--url", testURL,
		"--os-type", "CentOS", "--os-name", testOsName, "--format", "QCOW2", "--skip-check"}
	if base != "" {
		args = append(args, "--base-url", base)
	}
	return append(args, extra...)
}

// wantCode fails the test, showing what the user saw, unless the run exited
// with code.
func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, code, r.Stdout, r.Stderr)
	}
}

// wantIn fails unless every substring appears in s (named what for the log).
func wantIn(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

// wantNotIn fails if any substring appears in s.
func wantNotIn(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%s contains %q:\n%s", what, sub, s)
		}
	}
}

// noNoise checks stderr holds a message for a person, not Go internals.
func noNoise(t *testing.T, r result) {
	t.Helper()
	wantNotIn(t, "stderr", r.Stderr, "goroutine ", "panic:", "*url.Error", "&url.Error", "Post \"http", ".go:", "%!")
}

// wantOneValidImport checks exactly one signed ImportCustomImage arrived.
func wantOneValidImport(t *testing.T, srv *demoapi.Server) demoapi.Request {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Action != "ImportCustomImage" {
		t.Fatalf("server saw %d requests (%+v), want one ImportCustomImage", len(reqs), reqs)
	}
	if !reqs[0].SignatureValid || reqs[0].Method != "POST" {
		t.Errorf("request: method %s, signature valid %v; want a signed POST", reqs[0].Method, reqs[0].SignatureValid)
	}
	return reqs[0]
}

var imageID = regexp.MustCompile(`^uimage-[a-z0-9]+$`)

func TestCLIImportPrintsOnlyTheImageID(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes")...)
	wantCode(t, r, 0)
	id := strings.TrimSuffix(r.Stdout, "\n")
	if !imageID.MatchString(id) || strings.Contains(id, "\n") {
		t.Fatalf("stdout = %q, want the ImageId alone on one line", r.Stdout)
	}
	req := wantOneValidImport(t, srv)
	p := req.Params
	for k, want := range map[string]string{
		"Region": "cn-bj2", "ImageName": testName, "UFileUrl": testURL, "OsType": "CentOS",
		"OsName": testOsName, "Format": "qcow2", "Auth": "true", "PublicKey": demoapi.PublicKey,
	} {
		if p[k] != want {
			t.Errorf("sent %s=%q, want %q", k, p[k], want)
		}
	}
	if req.RetCode != 0 {
		t.Errorf("server answered RetCode %d", req.RetCode)
	}
	if imgs := srv.Images(); len(imgs) != 1 || imgs[0].ImageID != id {
		t.Errorf("server images %+v, want the one printed (%s)", imgs, id)
	}
	wantIn(t, "stderr", r.Stderr, "Import submitted: "+id, "environment (UCLOUD_PUBLIC_KEY)")
}

func TestCLIImportJSON(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--yes", "--output", "json")...)
	wantCode(t, r, 0)
	var got map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, r.Stdout)
	}
	imgs := srv.Images()
	if len(imgs) != 1 {
		t.Fatalf("server has %d images, want 1", len(imgs))
	}
	for k, want := range map[string]string{"image_id": imgs[0].ImageID, "region": "cn-bj2", "image_name": testName} {
		if got[k] != want {
			t.Errorf("JSON %s = %v, want %q", k, got[k], want)
		}
	}
	wantOneValidImport(t, srv)
}

func TestCLIDryRunJSONSendsNothing(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--dry-run", "-o", "json", "--project-id", "org-abc")...)
	wantCode(t, r, 0)
	var got struct {
		Method string            `json:"method"`
		URL    string            `json:"url"`
		Params map[string]string `json:"params"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.Stdout)
	}
	if got.Method != "POST" || got.URL != srv.URL()+"/?Action=ImportCustomImage" {
		t.Errorf("method %q url %q, want POST %s/?Action=ImportCustomImage", got.Method, got.URL, srv.URL())
	}
	p := got.Params
	for k, want := range map[string]string{
		"Action": "ImportCustomImage", "Region": "cn-bj2", "ProjectId": "org-abc", "ImageName": testName,
		"UFileUrl": testURL, "OsType": "CentOS", "OsName": testOsName, "Format": "qcow2", "Auth": "true",
		"PublicKey": demoapi.PublicKey,
	} {
		if p[k] != want {
			t.Errorf("params %s = %q, want %q", k, p[k], want)
		}
	}
	unsigned := apiclient.Params{}
	for k, v := range p {
		if k != "Signature" {
			unsigned[k] = v
		}
	}
	if want := apiclient.Sign(unsigned, demoapi.PrivateKey); p["Signature"] != want {
		t.Errorf("Signature = %q, want %q (the params as printed, signed)", p["Signature"], want)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("dry run sent %d requests", n)
	}
	wantNotIn(t, "output", r.Stdout+r.Stderr, demoapi.PrivateKey)
}

func TestCLIDryRunTextShowsCurl(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: keyEnv()}, importArgs(srv.URL(), "--dry-run")...)
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout,
		"POST "+srv.URL()+"/?Action=ImportCustomImage",
		"curl ", "'"+srv.URL()+"/?Action=ImportCustomImage'",
		"--data-urlencode 'OsName="+testOsName+"'",
		"--data-urlencode 'PublicKey="+demoapi.PublicKey+"'",
		"--data-urlencode 'Signature=")
	wantIn(t, "stderr", r.Stderr, "Dry run")
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("dry run sent %d requests", n)
	}
	wantNotIn(t, "output", r.Stdout+r.Stderr, demoapi.PrivateKey)
}

func TestCLIDemoNeedsNoKeys(t *testing.T) {
	r := run(t, runOpts{}, importArgs("", "--demo", "--yes")...)
	wantCode(t, r, 0)
	if id := strings.TrimSpace(r.Stdout); !imageID.MatchString(id) {
		t.Errorf("stdout = %q, want an ImageId", r.Stdout)
	}
	wantIn(t, "stderr", r.Stderr, "DEMO", "simulator")

	r = run(t, runOpts{}, importArgs("", "--demo", "--dry-run")...)
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, "PublicKey  "+demoapi.PublicKey)
	wantIn(t, "stderr", r.Stderr, "DEMO")
}

func TestCLIVersion(t *testing.T) {
	r := run(t, runOpts{}, "version")
	wantCode(t, r, 0)
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "uimport ") ||
		!strings.HasPrefix(lines[1], "commit: ") || !strings.HasPrefix(lines[2], "built: ") {
		t.Errorf("version output:\n%s\nwant uimport <version>, commit:, built: lines", r.Stdout)
	}
	r = run(t, runOpts{}, "--version")
	wantCode(t, r, 0)
	wantIn(t, "--version", r.Stdout, "uimport version ")
}

// TestCLIVersionFromLdflags builds a release-like binary: what the linker
// sets must be what both version commands print.
func TestCLIVersionFromLdflags(t *testing.T) {
	rel := filepath.Join(t.TempDir(), "uimport")
	ld := "-X main.version=v9.8.7 -X main.commit=0123456789abcdef -X main.date=2031-02-03T04:05:06Z"
	if out, err := exec.Command("go", "build", "-ldflags", ld, "-o", rel, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	runRel := func(arg string) string {
		cmd := exec.Command(rel, arg)
		cmd.Env = cleanEnv(t, t.TempDir())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("uimport %s: %v", arg, err)
		}
		return string(out)
	}
	wantIn(t, "version", runRel("version"), "uimport v9.8.7\n", "commit: 0123456789abcdef\n", "built:  2031-02-03T04:05:06Z\n")
	wantIn(t, "--version", runRel("--version"), "v9.8.7", "0123456")
}

func TestCLIManAndCompletion(t *testing.T) {
	r := run(t, runOpts{}, "man")
	wantCode(t, r, 0)
	wantIn(t, "man", r.Stdout, ".TH UIMPORT", ".SH NAME", "import")
	r = run(t, runOpts{}, "completion", "bash")
	wantCode(t, r, 0)
	wantIn(t, "completion", r.Stdout, "bash completion", "__start_uimport")
	if _, err := os.Stat("/bin/bash"); err == nil {
		f := filepath.Join(t.TempDir(), "c.bash")
		os.WriteFile(f, []byte(r.Stdout), 0o600)
		if out, err := exec.Command("/bin/bash", "-n", f).CombinedOutput(); err != nil {
			t.Errorf("bash -n rejects the completion script: %v\n%s", err, out)
		}
	}
}
