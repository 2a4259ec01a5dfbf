package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// A distinctive key pair. The private key is letters and digits only, so it
// reads the same raw, URL-encoded, JSON-escaped or shell-quoted, and every
// 8-character piece of it has an upper-case letter, so no hex signature can
// match one by chance.
const (
	secretPub  = "leak-test-public-key"
	secretPriv = "Pk7Zq9Wm3Xv8Rt2Yn6Hb4Jc1Ld5Fg0Se"
)

// leakChecker runs flows in one HOME and remembers everything they printed.
type leakChecker struct {
	t       *testing.T
	home    string
	outputs []string
	ran     []string
}

func (lc *leakChecker) run(name string, o runOpts, args ...string) result {
	lc.t.Helper()
	o.Home = lc.home
	// Temporary files land in HOME too, so the file scan sees them.
	o.Env = append([]string{"TMPDIR=" + filepath.Join(lc.home, "tmp")}, o.Env...)
	r := run(lc.t, o, args...)
	lc.outputs = append(lc.outputs, name+" stdout\x00"+r.Stdout, name+" stderr\x00"+r.Stderr)
	lc.ran = append(lc.ran, name)
	return r
}

// leaks returns where in s the private key, or any 8+ character piece of
// it, appears.
func leaks(s string) []string {
	var found []string
	for i := 0; i+8 <= len(secretPriv); i++ {
		if piece := secretPriv[i : i+8]; strings.Contains(s, piece) {
			found = append(found, piece)
		}
	}
	return found
}

func TestSecretNeverPrintedOrWritten(t *testing.T) {
	srv := startAPI(t)
	srv.AddAccount(secretPub, secretPriv)
	wrongKeySrv := startAPI(t) // knows the public key with another private key: 171
	wrongKeySrv.AddAccount(secretPub, "a-different-private-key")
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "tmp"), 0o700)
	lc := &leakChecker{t: t, home: home}
	env := []string{"UCLOUD_PUBLIC_KEY=" + secretPub, "UCLOUD_PRIVATE_KEY=" + secretPriv}
	u := srv.URL()

	// Imports, every outcome.
	step := func(name string, fault demoapi.Fault, code int, o runOpts, args ...string) result {
		t.Helper()
		srv.SetFault("ImportCustomImage", fault)
		defer srv.ClearFaults()
		r := lc.run(name, o, args...)
		if r.Code != code {
			t.Errorf("%s: exit %d, want %d\nstderr:\n%s", name, r.Code, code, r.Stderr)
		}
		return r
	}
	none := demoapi.Fault{}
	ok := step("import", none, 0, runOpts{Env: env}, importArgs(u, "--yes")...)
	id := strings.TrimSpace(ok.Stdout)
	step("import json", none, 0, runOpts{Env: env}, importArgs(u, "--yes", "-o", "json")...)
	step("dry-run text", none, 0, runOpts{Env: env}, importArgs(u, "--dry-run")...)
	step("dry-run json", none, 0, runOpts{Env: env}, importArgs(u, "--dry-run", "-o", "json")...)
	step("refused 8301", demoapi.Fault{RetCode: 8301, Message: "import failed"}, 3, runOpts{Env: env}, importArgs(u, "--yes")...)
	step("502", demoapi.Fault{Status: 502, Body: demoapi.BadGatewayPage}, 4, runOpts{Env: env}, importArgs(u, "--yes")...)
	step("captive portal", demoapi.Fault{Body: demoapi.CaptivePortalPage}, 4, runOpts{Env: env}, importArgs(u, "--yes")...)
	step("truncated", demoapi.Fault{Truncate: true}, 4, runOpts{Env: env}, importArgs(u, "--yes")...)
	step("timeout", demoapi.Fault{Delay: 10 * time.Second}, 4, runOpts{Env: env}, importArgs(u, "--yes", "--timeout", "200ms")...)
	step("171 wrong key", none, 3, runOpts{Env: env}, importArgs(wrongKeySrv.URL(), "--yes")...)
	step("172 unknown pub", none, 3, runOpts{Env: []string{"UCLOUD_PUBLIC_KEY=unknown-pub", "UCLOUD_PRIVATE_KEY=" + secretPriv}}, importArgs(u, "--yes")...)
	step("missing flags", none, 2, runOpts{Env: env}, "import", "--yes", "--base-url", u)
	step("invalid name", none, 2, runOpts{Env: env}, importArgs(u, "--yes", "--name", "<bad>")...)
	step("no --yes", none, 2, runOpts{Env: env}, importArgs(u)...)
	step("profile with env", none, 0, runOpts{Env: append(env, "UCLOUD_PROFILE=other")}, importArgs(u, "--dry-run")...)
	step("demo", none, 0, runOpts{Env: env}, importArgs("", "--demo", "--yes")...)
	lc.run("import --wait", runOpts{Env: env}, importArgs(u, "--yes", "--wait")...) // when --wait exists
	step("private-key flag", none, 2, runOpts{Env: env}, importArgs(u, "--yes", "--private-key", secretPriv)...)
	step("private-key= flag", none, 2, runOpts{Env: env}, importArgs(u, "--yes", "--private-key="+secretPriv)...)

	// Auth, with no keyring here.
	step("login", none, 2, runOpts{Stdin: secretPub + "\n" + secretPriv + "\n"}, "auth", "login", "--stdin")
	step("login bad key", none, 2, runOpts{Stdin: secretPub + "\n" + secretPriv + " x" + secretPriv + "\n"}, "auth", "login", "--stdin")
	step("login one line", none, 2, runOpts{Stdin: secretPriv + "\n"}, "auth", "login", "--stdin")
	step("status", none, 0, runOpts{Env: env}, "auth", "status")
	step("status json", none, 0, runOpts{Env: env}, "auth", "status", "-o", "json")
	step("status none", none, 2, runOpts{}, "auth", "status")
	step("logout", none, 2, runOpts{Env: env}, "auth", "logout")

	// The ucloud CLI's credential file as the source.
	cred := filepath.Join(home, ".ucloud", "credential.json")
	credData := `[{"profile":"default","public_key":"` + secretPub + `","private_key":"` + secretPriv + `"}]`
	os.MkdirAll(filepath.Dir(cred), 0o700)
	if err := os.WriteFile(cred, []byte(credData), 0o600); err != nil {
		t.Fatal(err)
	}
	step("status ucloud-cli", none, 0, runOpts{}, "auth", "status")
	step("status ucloud-cli json", none, 0, runOpts{}, "auth", "status", "-o", "json")
	step("import ucloud-cli", none, 0, runOpts{}, importArgs(u, "--yes")...)
	step("dry-run ucloud-cli", none, 0, runOpts{}, importArgs(u, "--dry-run", "-o", "json")...)

	// A real keyring, when the test runs under with-secret-service.sh.
	if os.Getenv("UIMPORT_TEST_SECRET_SERVICE") == "1" {
		kr := runOpts{InheritDBus: true, Stdin: secretPub + "\n" + secretPriv + "\n"}
		step("keyring login", none, 0, kr, "auth", "login", "--stdin", "--profile", "leak")
		kr.Stdin = ""
		step("keyring status", none, 0, kr, "auth", "status", "--profile", "leak", "-o", "json")
		step("keyring dry-run", none, 0, kr, importArgs(u, "--dry-run", "--profile", "leak")...)
		step("keyring import", none, 0, kr, importArgs(u, "--yes", "--profile", "leak")...)
		step("keyring logout", none, 0, kr, "auth", "logout", "--profile", "leak")
	}

	// Whatever else there is; these may not exist yet, their output counts anyway.
	lc.run("history", runOpts{Env: env}, "history")
	lc.run("history json", runOpts{Env: env}, "history", "-o", "json")
	lc.run("status image", runOpts{Env: env}, "status", id, "--region", "cn-bj2", "--base-url", u)
	lc.run("status image json", runOpts{Env: env}, "status", id, "--region", "cn-bj2", "--base-url", u, "-o", "json")
	step("version", none, 0, runOpts{Env: env}, "version")
	step("--version", none, 0, runOpts{Env: env}, "--version")
	step("help", none, 0, runOpts{Env: env}, "--help")
	step("import help", none, 0, runOpts{Env: env}, "import", "--help")
	step("unknown command", none, 2, runOpts{Env: env}, "frobnicate")

	if len(leaks("x"+secretPriv[9:17]+"y")) != 1 || len(leaks(secretPriv[:7])) != 0 {
		t.Fatal("the leak check itself is broken")
	}
	if len(srv.Requests()) == 0 {
		t.Fatal("no request reached the server: the flows did not run")
	}
	for _, out := range lc.outputs {
		name, text, _ := strings.Cut(out, "\x00")
		if found := leaks(text); len(found) > 0 {
			t.Errorf("%s shows the private key (pieces %q):\n%s", name, found, text)
		}
	}

	// Every file uimport wrote under HOME (config, journal, anything).
	files := scanHome(t, home, cred)
	if !fileListed(files, filepath.Join(".config", "uimport", "config.json")) {
		t.Errorf("files under HOME %q: the config was not written, so the scan proves little", files)
	}
	if data, _ := os.ReadFile(cred); string(data) != credData {
		t.Errorf("the ucloud CLI's credential.json was changed:\n%s", data)
	}
	t.Logf("%d runs, %d files scanned: %q", len(lc.ran), len(files), files)
}

// scanHome fails the test for any file under home, but skip, holding a
// piece of the private key, and returns the files it read.
func scanHome(t *testing.T, home, skip string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == skip {
			return err
		}
		files = append(files, p)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("reading %s: %v", p, err)
			return nil
		}
		if found := leaks(string(data)); len(found) > 0 {
			t.Errorf("%s holds the private key (pieces %q)", p, found)
		}
		return nil
	})
	return files
}

func fileListed(files []string, suffix string) bool {
	for _, f := range files {
		if strings.HasSuffix(f, suffix) {
			return true
		}
	}
	return false
}

// TestSecretNoFlagTakesThePrivateKey: keys on the command line end up in
// shell history and ps, so no command has a flag for one.
func TestSecretNoFlagTakesThePrivateKey(t *testing.T) {
	for _, cmd := range [][]string{{"import"}, {"auth", "login"}, {"auth", "status"}, {"auth", "logout"}, {}} {
		for _, flag := range []string{"--private-key", "--privatekey", "--secret", "--secret-key", "--private"} {
			args := append(append([]string{}, cmd...), flag, "x")
			r := run(t, runOpts{}, args...)
			if r.Code != 2 || !strings.Contains(r.Stderr, "unknown flag: "+flag) {
				t.Errorf("uimport %s: exit %d, want 2 with unknown flag\nstderr:\n%s", strings.Join(args, " "), r.Code, r.Stderr)
			}
		}
		r := run(t, runOpts{}, append(append([]string{}, cmd...), "--help")...)
		wantCode(t, r, 0)
		wantNotIn(t, "help of "+strings.Join(cmd, " "), r.Stdout, "--private", "--secret")
	}
}
