package keystore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

const workPublicKey = "workpublickey0000000000"

// savedSecret is what uimport itself writes to the keyring.
func savedSecret(pub, priv string) string {
	return `{"public_key":"` + pub + `","private_key":"` + priv + `"}`
}

func TestResolveOrder(t *testing.T) {
	keyringCreds := Credentials{PublicKey: "keyringpublickey0000", PrivateKey: "keyringprivatekey000"}
	bothEnv := fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: testPrivateKey}

	tests := []struct {
		name       string
		env        fakeEnv
		inKeyring  bool
		cliFiles   bool
		wantSource Source
		wantPublic string
		wantNotes  []string
	}{
		{"environment beats everything", bothEnv, true, true, SourceEnv, testPublicKey, nil},
		{"keyring beats the CLI", fakeEnv{}, true, true, SourceKeyring, keyringCreds.PublicKey, nil},
		{"half-set environment is noted and skipped", fakeEnv{EnvPublicKey: testPublicKey}, true, true, SourceKeyring, keyringCreds.PublicKey,
			[]string{"UCLOUD_PUBLIC_KEY is set but UCLOUD_PRIVATE_KEY is not: environment skipped"}},
		{"CLI when the keyring has nothing", fakeEnv{}, false, true, SourceCLIProfile, workPublicKey,
			[]string{`ucloud CLI has no profile "default"; using its active profile "work"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := mockOSKeyring(t, nil)
			if tt.inKeyring {
				if err := kr.Set(KeyringService, "default", savedSecret(keyringCreds.PublicKey, keyringCreds.PrivateKey)); err != nil {
					t.Fatal(err)
				}
			}
			home := t.TempDir()
			if tt.cliFiles {
				home = writeCLIFiles(t, cliWorkOnlyCredentials, cliConfigs)
			}
			s := &Store{Getenv: tt.env.get, Keyring: kr, HomeDir: home}
			got, err := s.Resolve(context.Background())
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got.Source != tt.wantSource || got.PublicKey != tt.wantPublic || got.PrivateKey == "" {
				t.Errorf("got %v from %s, want public key %s from %s", got, got.Source, MaskPublicKey(tt.wantPublic), tt.wantSource)
			}
			if strings.Join(got.Notes, "|") != strings.Join(tt.wantNotes, "|") {
				t.Errorf("notes = %q, want %q", got.Notes, tt.wantNotes)
			}
		})
	}
}

func TestResolveReportsProfileAndOrigin(t *testing.T) {
	kr := mockOSKeyring(t, nil)
	home := writeCLIFiles(t, cliWorkOnlyCredentials, cliConfigs)

	s := &Store{Keyring: kr, HomeDir: home} // empty Profile means "default"
	got, err := s.Resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Profile != "work" || got.Origin() != `ucloud CLI profile "work" (~/.ucloud/credential.json)` {
		t.Errorf("profile %q, origin %q: want the active CLI profile named", got.Profile, got.Origin())
	}

	s.Getenv = fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: testPrivateKey}.get
	s.Profile = "work"
	got, err = s.Resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != SourceEnv || got.Profile != "work" || got.Origin() != "environment (UCLOUD_PUBLIC_KEY)" {
		t.Errorf("got %#v", got)
	}
	if len(got.Notes) != 1 || got.Notes[0] != `UCLOUD_PUBLIC_KEY/UCLOUD_PRIVATE_KEY take precedence over profile "work"` {
		t.Errorf("notes = %q, want the precedence explained", got.Notes)
	}
}

func TestResolveNothingFound(t *testing.T) {
	s := &Store{Profile: "x", Getenv: fakeEnv{EnvPrivateKey: testPrivateKey}.get, Keyring: mockOSKeyring(t, nil), HomeDir: t.TempDir()}
	got, err := s.Resolve(context.Background())
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("err = %v, want ErrNoCredentials", err)
	}
	want := "no credentials for profile \"x\": run `uimport auth login`, or set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
	var nce *NoCredentialsError
	if !errors.As(err, &nce) || nce.Profile != "x" || len(nce.Notes) != 1 {
		t.Errorf("error = %#v, want the profile and the environment note", err)
	}
	if got.Profile != "x" || got.Source != "" || got.Credentials != (Credentials{}) || len(got.Notes) != 1 {
		t.Errorf("Resolved = %#v, want only the profile and notes", got)
	}
}

// Over SSH there is no D-Bus session: the keyring is a note, never an error
// and never a wait.
func TestResolveWithoutDBusSession(t *testing.T) {
	kr := &osKeyring{
		backend:    newBlockingKeyring(t),
		getenv:     fakeEnv{}.get,
		goos:       "linux",
		userBusFor: func() bool { return false },
	}
	s := &Store{Getenv: fakeEnv{}.get, Keyring: kr, HomeDir: writeCLIFiles(t, cliCredentials, cliConfigs)}
	start := time.Now()
	got, err := s.Resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Resolve took %v; it must not wait for the keyring's %v deadline", elapsed, DefaultKeyringTimeout)
	}
	if got.Source != SourceCLIProfile {
		t.Errorf("source = %s, want the ucloud CLI", got.Source)
	}
	want := "OS keyring unavailable (no D-Bus session; common over SSH): skipped"
	if len(got.Notes) != 1 || got.Notes[0] != want {
		t.Errorf("notes = %q, want %q", got.Notes, want)
	}
}

func TestResolveKeyringTimeout(t *testing.T) {
	kr := &osKeyring{
		timeout: 50 * time.Millisecond,
		backend: newBlockingKeyring(t),
		getenv:  fakeEnv{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}.get,
		goos:    "linux",
	}
	s := &Store{Keyring: kr, HomeDir: writeCLIFiles(t, cliCredentials, cliConfigs)}
	start := time.Now()
	got, err := s.Resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Resolve took %v, want about the 50ms deadline", elapsed)
	}
	if got.Source != SourceCLIProfile || len(got.Notes) != 1 || got.Notes[0] != "OS keyring unavailable (no answer within 50ms): skipped" {
		t.Errorf("got %#v", got)
	}
}

func TestResolveKeyringProblemsAreNotes(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		err    error
		note   string
	}{
		{"not JSON", "not json " + testPrivateKey, nil, `OS keyring entry for profile "default" is not in uimport's format: skipped (run ` + "`uimport auth login`" + ` to replace it)`},
		{"invalid keys", savedSecret(testPublicKey, ""), nil, `OS keyring entry for profile "default" skipped: invalid credentials: the private key is empty`},
		{"other error", "", errors.New("boom"), "OS keyring failed (boom): skipped"},
		{"unavailable", "", &KeyringUnavailableError{Reason: "the keyring is locked"}, "OS keyring unavailable (the keyring is locked): skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := &mapKeyring{err: tt.err}
			if tt.secret != "" {
				kr.secrets = map[string]string{KeyringService + "/default": tt.secret}
			}
			s := &Store{Keyring: kr, HomeDir: t.TempDir()}
			got, err := s.Resolve(context.Background())
			if !errors.Is(err, ErrNoCredentials) {
				t.Fatalf("err = %v, want ErrNoCredentials", err)
			}
			if len(got.Notes) != 1 || got.Notes[0] != tt.note {
				t.Errorf("notes = %q, want %q", got.Notes, tt.note)
			}
		})
	}
}

func TestResolveHonoursContext(t *testing.T) {
	s := &Store{Keyring: newBlockingKeyring(t), HomeDir: t.TempDir()} // no deadline of its own
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Resolve(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Resolve took %v after the context ended", elapsed)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := (&Store{Getenv: fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: testPrivateKey}.get}).Resolve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

type fakePrompter struct {
	creds Credentials
	save  bool
	err   error
	calls int
	asked string
}

func (p *fakePrompter) PromptCredentials(_ context.Context, profile string) (Credentials, bool, error) {
	p.calls++
	p.asked = profile
	return p.creds, p.save, p.err
}

func TestResolvePrompt(t *testing.T) {
	t.Run("saves and is found next time", func(t *testing.T) {
		kr := mockOSKeyring(t, nil)
		p := &fakePrompter{creds: Credentials{PublicKey: testPublicKey + "\n", PrivateKey: testPrivateKey + "\n"}, save: true}
		s := &Store{Profile: "work", Keyring: kr, HomeDir: t.TempDir(), Prompt: p}
		got, err := s.Resolve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got.Source != SourcePrompt || got.Credentials != testCreds || p.asked != "work" {
			t.Errorf("got %#v asking %q", got, p.asked)
		}
		if len(got.Notes) != 1 || got.Notes[0] != `saved to the OS keyring for profile "work"` {
			t.Errorf("notes = %q", got.Notes)
		}
		got, err = s.Resolve(context.Background())
		if err != nil || got.Source != SourceKeyring || got.Credentials != testCreds || p.calls != 1 {
			t.Errorf("second Resolve = %#v, %v after %d prompts; want the keyring and no prompt", got, err, p.calls)
		}
	})
	t.Run("save fails over SSH", func(t *testing.T) {
		kr := &osKeyring{backend: newBlockingKeyring(t), getenv: fakeEnv{}.get, goos: "linux"}
		s := &Store{Keyring: kr, HomeDir: t.TempDir(), Prompt: &fakePrompter{creds: testCreds, save: true}}
		got, err := s.Resolve(context.Background())
		if err != nil || got.Source != SourcePrompt {
			t.Fatalf("got %#v, %v; want the typed credentials despite the keyring", got, err)
		}
		want := []string{
			"OS keyring unavailable (no D-Bus session; common over SSH): skipped",
			`cannot save credentials for profile "default": OS keyring unavailable (no D-Bus session; common over SSH)`,
		}
		if strings.Join(got.Notes, "|") != strings.Join(want, "|") {
			t.Errorf("notes = %q, want %q", got.Notes, want)
		}
	})
	t.Run("not saved when not asked", func(t *testing.T) {
		kr := &mapKeyring{}
		s := &Store{Keyring: kr, Prompt: &fakePrompter{creds: testCreds}}
		if _, err := s.Resolve(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(kr.secrets) != 0 {
			t.Error("saved without being asked to")
		}
	})
	t.Run("declined", func(t *testing.T) {
		s := &Store{Prompt: &fakePrompter{}}
		if _, err := s.Resolve(context.Background()); !errors.Is(err, ErrNoCredentials) {
			t.Errorf("err = %v, want ErrNoCredentials", err)
		}
	})
	t.Run("prompt error", func(t *testing.T) {
		boom := errors.New("not a terminal")
		s := &Store{Prompt: &fakePrompter{err: boom}}
		if _, err := s.Resolve(context.Background()); !errors.Is(err, boom) {
			t.Errorf("err = %v, want the prompt's", err)
		}
	})
	t.Run("invalid typed keys", func(t *testing.T) {
		s := &Store{Prompt: &fakePrompter{creds: Credentials{PublicKey: "a b", PrivateKey: "c"}}}
		if _, err := s.Resolve(context.Background()); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("err = %v, want ErrInvalidCredentials", err)
		}
	})
	t.Run("not asked when something was found", func(t *testing.T) {
		p := &fakePrompter{creds: testCreds}
		s := &Store{Getenv: fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: testPrivateKey}.get, Prompt: p}
		if _, err := s.Resolve(context.Background()); err != nil || p.calls != 0 {
			t.Errorf("err = %v, prompts = %d; want no prompt", err, p.calls)
		}
	})
}

func TestSave(t *testing.T) {
	kr := &mapKeyring{}
	s := &Store{Profile: " work ", Keyring: kr}
	if err := s.Save(context.Background(), Credentials{PublicKey: " " + testPublicKey + "\n", PrivateKey: testPrivateKey + "\r\n"}); err != nil {
		t.Fatal(err)
	}
	if got, want := kr.secrets["uimport/work"], savedSecret(testPublicKey, testPrivateKey); got != want {
		t.Errorf("stored %q, want %q", got, want)
	}

	for _, bad := range []Credentials{{}, {PublicKey: testPublicKey}, {PublicKey: "has space", PrivateKey: testPrivateKey}, {PublicKey: testPublicKey, PrivateKey: "tab\there"}} {
		if err := s.Save(context.Background(), bad); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("Save(%v) = %v, want ErrInvalidCredentials", bad, err)
		}
	}
	if len(kr.secrets) != 1 {
		t.Errorf("invalid credentials reached the keyring: %d entries", len(kr.secrets))
	}

	kr.err = errors.New("boom")
	if err := s.Save(context.Background(), testCreds); err == nil || err.Error() != `cannot save credentials for profile "work" in the OS keyring: boom` {
		t.Errorf("Save with a failing keyring = %v", err)
	}
	if err := (&Store{}).Save(context.Background(), testCreds); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("Save without a keyring = %v, want ErrKeyringUnavailable", err)
	}
}

func TestDelete(t *testing.T) {
	kr := mockOSKeyring(t, nil)
	s := &Store{Profile: "work", Keyring: kr}
	if err := s.Save(context.Background(), testCreds); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(context.Background()); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := kr.Get(KeyringService, "work"); !errors.Is(err, ErrNotFound) {
		t.Errorf("entry still there after Delete: %v", err)
	}
	err := s.Delete(context.Background())
	if !errors.Is(err, ErrNotFound) || err.Error() != `no credentials saved in the OS keyring for profile "work"` {
		t.Errorf("Delete of a missing entry = %v, want ErrNotFound naming the profile", err)
	}
	if err := (&Store{}).Delete(context.Background()); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("Delete without a keyring = %v, want ErrKeyringUnavailable", err)
	}
}

func TestNewStore(t *testing.T) {
	s := NewStore("work")
	if s.Profile != "work" || s.Getenv == nil || s.Keyring == nil || s.Prompt != nil {
		t.Errorf("NewStore = %#v", s)
	}
	if k, ok := s.Keyring.(*osKeyring); !ok || k.deadline() != DefaultKeyringTimeout {
		t.Errorf("keyring = %#v, want OSKeyring with the default timeout", s.Keyring)
	}
	if s.HomeDir == "" {
		t.Error("HomeDir not set")
	}
}
