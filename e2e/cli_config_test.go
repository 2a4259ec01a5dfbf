package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// writeConfig writes a uimport config file at path.
func writeConfig(t *testing.T, path string, c map[string]string) {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// noRegionArgs is a complete import except for the region and project.
func noRegionArgs(extra ...string) []string {
	return append([]string{"import", "--yes", "--name", testName, "--url", testURL,
		"--os-type", "CentOS", "--os-name", testOsName, "--format", "qcow2"}, extra...)
}

// sentImport is the one ImportCustomImage a server received.
func sentImport(t *testing.T, srv *demoapi.Server) map[string]string {
	t.Helper()
	return wantOneValidImport(t, srv).Params
}

func TestCLIRegionAndProjectFromEnv(t *testing.T) {
	srv := startAPI(t)
	env := append(keyEnv(), "UCLOUD_REGION=sg", "UCLOUD_PROJECT_ID=org-demo02")
	r := run(t, runOpts{Env: env}, noRegionArgs("--base-url", srv.URL())...)
	wantCode(t, r, 0)
	p := sentImport(t, srv)
	if p["Region"] != "sg" || p["ProjectId"] != "org-demo02" {
		t.Errorf("sent Region=%q ProjectId=%q, want sg/org-demo02 from the environment", p["Region"], p["ProjectId"])
	}
}

func TestCLIConfigFileSuppliesDefaults(t *testing.T) {
	// The default place: $XDG_CONFIG_HOME/uimport/config.json.
	srv := startAPI(t)
	home := t.TempDir()
	writeConfig(t, filepath.Join(home, ".config", "uimport", "config.json"),
		map[string]string{"region": "hk", "project_id": "org-demo02", "base_url": srv.URL()})
	r := run(t, runOpts{Env: keyEnv(), Home: home}, noRegionArgs()...)
	wantCode(t, r, 0)
	p := sentImport(t, srv)
	if p["Region"] != "hk" || p["ProjectId"] != "org-demo02" {
		t.Errorf("sent Region=%q ProjectId=%q, want hk/org-demo02 from the config file", p["Region"], p["ProjectId"])
	}

	// UIMPORT_CONFIG names another file.
	srv2 := startAPI(t)
	other := filepath.Join(t.TempDir(), "elsewhere.json")
	writeConfig(t, other, map[string]string{"region": "jpn-tky", "base_url": srv2.URL()})
	r = run(t, runOpts{Env: append(keyEnv(), "UIMPORT_CONFIG="+other), Home: home}, noRegionArgs()...)
	wantCode(t, r, 0)
	if p := sentImport(t, srv2); p["Region"] != "jpn-tky" {
		t.Errorf("sent Region=%q, want jpn-tky from UIMPORT_CONFIG", p["Region"])
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("the default config's server got %d requests, want still 1", n)
	}
}

func TestCLIBaseURLFromEnv(t *testing.T) {
	srv := startAPI(t)
	r := run(t, runOpts{Env: append(keyEnv(), "UCLOUD_API_BASE_URL="+srv.URL())}, importArgs("", "--yes")...)
	wantCode(t, r, 0)
	sentImport(t, srv)
}

// TestCLIFlagBeatsEnvBeatsConfig gives region, project and base URL in all
// three places, then takes them away one layer at a time. A dry run shows
// what would be sent where.
func TestCLIFlagBeatsEnvBeatsConfig(t *testing.T) {
	home := t.TempDir()
	writeConfig(t, filepath.Join(home, ".config", "uimport", "config.json"),
		map[string]string{"region": "hk", "project_id": "org-file", "base_url": "http://file.invalid"})
	env := append(keyEnv(), "UCLOUD_REGION=sg", "UCLOUD_PROJECT_ID=org-env", "UCLOUD_API_BASE_URL=http://env.invalid")
	flags := []string{"--region", "us-ca", "--project-id", "org-flag", "--base-url", "http://flag.invalid"}

	for _, tc := range []struct {
		name, url, region, proj string
		env, args               []string
	}{
		{"flags", "http://flag.invalid", "us-ca", "org-flag", env, flags},
		{"env", "http://env.invalid", "sg", "org-env", env, nil},
		{"config", "http://file.invalid", "hk", "org-file", keyEnv(), nil},
	} {
		args := append([]string{"import", "--dry-run", "-o", "json", "--name", testName, "--url", testURL,
			"--os-type", "CentOS", "--os-name", testOsName, "--format", "qcow2"}, tc.args...)
		r := run(t, runOpts{Env: tc.env, Home: home}, args...)
		wantCode(t, r, 0)
		var got struct {
			URL    string            `json:"url"`
			Params map[string]string `json:"params"`
		}
		if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, r.Stdout)
		}
		if got.URL != tc.url+"/?Action=ImportCustomImage" || got.Params["Region"] != tc.region || got.Params["ProjectId"] != tc.proj {
			t.Errorf("%s: url %q Region %q ProjectId %q; want %s, %s, %s",
				tc.name, got.URL, got.Params["Region"], got.Params["ProjectId"], tc.url, tc.region, tc.proj)
		}
	}
}

// TestCLIInterruptDuringImport presses Ctrl+C while the import is in flight.
func TestCLIInterruptDuringImport(t *testing.T) {
	srv := startAPI(t)
	srv.SetFault("ImportCustomImage", demoapi.Fault{Delay: time.Minute})
	cmd := exec.Command(bin, importArgs(srv.URL(), "--yes")...)
	cmd.Env = append(cleanEnv(t, t.TempDir()), keyEnv()...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	deadline := time.Now().Add(20 * time.Second)
	for srv.Count("ImportCustomImage") == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the import never reached the server\nstderr:\n%s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running 10 s after SIGINT\nstderr:\n%s", errb.String())
	}
	r := result{Stdout: out.String(), Stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	}
	wantCode(t, r, 130)
	wantIn(t, "stderr", r.Stderr, "Interrupted")
	// The request had left: the user must not be told nothing was sent.
	wantNotIn(t, "stderr", r.Stderr, "Nothing was sent")
	wantIn(t, "stderr", r.Stderr, checkBeforeResubmit)
	noNoise(t, r)
	if r.Stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.Stdout)
	}
}

// Someone who set up the official ucloud CLI has keys, host, region and
// project there: uimport uses all four, and the host matters most, since keys
// only work on the host they belong to.
func TestCLIUsesTheUcloudCLIProfile(t *testing.T) {
	srv := startAPI(t)
	home := t.TempDir()
	dir := filepath.Join(home, ".ucloud")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := `[{"profile":"work","active":true,"project_id":"org-demo02","region":"hk","base_url":"` + srv.URL() + `/"}]`
	cred := `[{"profile":"work","public_key":"` + demoapi.PublicKey + `","private_key":"` + demoapi.PrivateKey + `"}]`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "credential.json"), []byte(cred), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, runOpts{Home: home}, "import", "--yes", "--skip-check", "--name", "from-cli",
		"--url", "https://b.hk.ufileos.com/x.qcow2", "--os-type", "Ubuntu", "--os-name", "Ubuntu 22.04 64位", "--format", "qcow2")
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "ucloud CLI profile")
	req := wantOneValidImport(t, srv)
	if req.Params["Region"] != "hk" || req.Params["ProjectId"] != "org-demo02" {
		t.Errorf("Region %q, ProjectId %q; want the CLI profile's hk and org-demo02", req.Params["Region"], req.Params["ProjectId"])
	}
}
