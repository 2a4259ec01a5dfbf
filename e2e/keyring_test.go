package e2e

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/keystore"
)

// quick is generous: the keyring gets 2 s before it is given up on, so this
// catches a hang, not a slow machine.
const quick = 5 * time.Second

func wantQuick(t *testing.T, what string, r result) {
	t.Helper()
	if r.Elapsed > quick {
		t.Errorf("%s took %v; a missing keyring must not hold a run up", what, r.Elapsed)
	}
}

// keyringNotes are the stderr lines about the OS keyring.
func keyringNotes(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "OS keyring unavailable") {
			out = append(out, l)
		}
	}
	return out
}

// checkNoKeyring runs the flows a person over SSH would, with env as the
// keyring's surroundings, and wants each quick and clear.
func checkNoKeyring(t *testing.T, env []string, reason string) {
	srv := startAPI(t)
	withKeys := append(append([]string{}, env...), keyEnv()...)

	r := run(t, runOpts{Env: withKeys}, "auth", "status")
	wantCode(t, r, 0)
	wantQuick(t, "auth status with env keys", r)
	wantIn(t, "stdout", r.Stdout, "Source:      environment (UCLOUD_PUBLIC_KEY)")

	r = run(t, runOpts{Env: withKeys}, importArgs(srv.URL(), "--yes")...)
	wantCode(t, r, 0)
	wantQuick(t, "import with env keys", r)
	wantOneValidImport(t, srv)

	// Without env keys the keyring is asked, found missing, and said so in one line.
	r = run(t, runOpts{Env: env}, "auth", "status")
	wantCode(t, r, 2)
	wantQuick(t, "auth status without keys", r)
	if notes := keyringNotes(r.Stderr); len(notes) != 1 || !strings.Contains(notes[0], reason) {
		t.Errorf("want one keyring note saying %q, got %q\nstderr:\n%s", reason, notes, r.Stderr)
	}
	wantIn(t, "stderr", r.Stderr, "UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY")

	r = run(t, runOpts{Env: env}, importArgs(srv.URL(), "--yes")...)
	wantCode(t, r, 2)
	wantQuick(t, "import without keys", r)
	if notes := keyringNotes(r.Stderr); len(notes) != 1 {
		t.Errorf("want one keyring note, got %q\nstderr:\n%s", notes, r.Stderr)
	}

	r = run(t, runOpts{Env: env, Stdin: "some-public-key\nsome-private-key\n"}, "auth", "login", "--stdin")
	if r.Code == 0 {
		t.Errorf("auth login without a keyring succeeded:\n%s", r.Stderr)
	}
	wantQuick(t, "auth login", r)
	wantIn(t, "stderr", r.Stderr, "OS keyring unavailable", "set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY")
	noNoise(t, r)

	r = run(t, runOpts{Env: env}, "auth", "logout")
	if r.Code == 0 {
		t.Errorf("auth logout without a keyring succeeded:\n%s", r.Stderr)
	}
	wantQuick(t, "auth logout", r)
	wantIn(t, "stderr", r.Stderr, "OS keyring unavailable")
	wantNotIn(t, "stderr", r.Stderr, "could not save")
}

func TestKeyringAbsentNoDBus(t *testing.T) {
	// cleanEnv already blanks DBUS_SESSION_BUS_ADDRESS; say it for the reader.
	checkNoKeyring(t, []string{"DBUS_SESSION_BUS_ADDRESS="}, "no D-Bus session")
}

// TestKeyringSilentBus points D-Bus at a socket that accepts and never
// answers, as a wedged session bus or locked Secret Service would.
func TestKeyringSilentBus(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix sockets here: %v", err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		var held []net.Conn // open, and never a word
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	checkNoKeyring(t, []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + sock}, "no answer within")
}

// TestKeyringSecretServiceRoundTrip stores, uses and deletes a profile in a
// real Secret Service through the built binary.
func TestKeyringSecretServiceRoundTrip(t *testing.T) {
	if os.Getenv("UIMPORT_TEST_SECRET_SERVICE") != "1" {
		t.Skip("needs a throwaway Secret Service: keystore/testdata/with-secret-service.sh go test ./e2e -run Keyring")
	}
	const pub, priv = "e2e-keyring-public-0001", "E2eKeyringPriv8Qw7Zx6Cv5Bn4Mm3"
	srv := startAPI(t)
	srv.AddAccount(pub, priv)
	home := t.TempDir()
	o := func(stdin string, env ...string) runOpts {
		return runOpts{Home: home, InheritDBus: true, Stdin: stdin, Env: env}
	}
	masked := keystore.MaskPublicKey(pub)

	r := run(t, o(""), "auth", "status", "--profile", "e2e")
	wantCode(t, r, 2) // a fresh keyring holds nothing

	r = run(t, o(pub+"\n"+priv+"\n"), "auth", "login", "--stdin", "--profile", "e2e")
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, `Saved keys for profile "e2e" in the OS keyring`, masked)

	r = run(t, o(""), "auth", "status", "--profile", "e2e")
	wantCode(t, r, 0)
	wantIn(t, "stdout", r.Stdout, `Source:      OS keyring (profile "e2e")`, "Public key:  "+masked)
	wantNotIn(t, "output", r.Stdout+r.Stderr, priv, pub)

	r = run(t, o("", "UCLOUD_PROFILE=e2e"), "auth", "status", "-o", "json")
	wantCode(t, r, 0)
	var st map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &st); err != nil {
		t.Fatalf("status json: %v\n%s", err, r.Stdout)
	}
	if st["profile"] != "e2e" || st["source"] != `OS keyring (profile "e2e")` || st["public_key_masked"] != masked {
		t.Errorf("status json = %v", st)
	}

	// The other profile is not affected.
	r = run(t, o(""), "auth", "status")
	wantCode(t, r, 2)

	r = run(t, o(""), importArgs(srv.URL(), "--dry-run", "-o", "json", "--profile", "e2e")...)
	wantCode(t, r, 0)
	var dry struct{ Params map[string]string }
	if err := json.Unmarshal([]byte(r.Stdout), &dry); err != nil {
		t.Fatalf("dry run json: %v\n%s", err, r.Stdout)
	}
	unsigned := apiclient.Params{}
	for k, v := range dry.Params {
		if k != "Signature" {
			unsigned[k] = v
		}
	}
	if dry.Params["PublicKey"] != pub || dry.Params["Signature"] != apiclient.Sign(unsigned, priv) {
		t.Errorf("dry run did not sign with the stored keys: %v", dry.Params)
	}
	wantIn(t, "stderr", r.Stderr, "OS keyring")

	r = run(t, o(""), importArgs(srv.URL(), "--yes", "--profile", "e2e")...)
	wantCode(t, r, 0)
	wantOneValidImport(t, srv)

	r = run(t, o(""), "auth", "logout", "--profile", "e2e")
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, `Removed the keys for profile "e2e"`)

	r = run(t, o(""), "auth", "status", "--profile", "e2e")
	wantCode(t, r, 2)
	wantIn(t, "stderr", r.Stderr, `no credentials for profile "e2e"`)

	r = run(t, o(""), "auth", "logout", "--profile", "e2e")
	wantCode(t, r, 0)
	wantIn(t, "stderr", r.Stderr, "nothing to remove")
}
