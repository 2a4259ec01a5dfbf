package keystore

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	gokeyring "github.com/zalando/go-keyring"
)

func TestOSKeyringRoundTripThroughMock(t *testing.T) {
	k := mockOSKeyring(t, nil)

	if _, err := k.Get("svc", "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on an empty keyring = %v, want ErrNotFound", err)
	}
	if err := k.Set("svc", "alice", "s3cret"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, err := k.Get("svc", "alice"); err != nil || got != "s3cret" {
		t.Fatalf("Get = %q, %v; want the secret", got, err)
	}
	if err := k.Delete("svc", "alice"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := k.Delete("svc", "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v, want ErrNotFound", err)
	}
}

func TestOSKeyringMapsDBusErrorsToUnavailable(t *testing.T) {
	noProvider := dbus.Error{
		Name: "org.freedesktop.DBus.Error.ServiceUnknown",
		Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"},
	}
	k := mockOSKeyring(t, noProvider)

	_, err := k.Get("svc", "alice")
	var unavailable *KeyringUnavailableError
	if !errors.Is(err, ErrKeyringUnavailable) || !errors.As(err, &unavailable) {
		t.Fatalf("Get = %v, want ErrKeyringUnavailable", err)
	}
	if unavailable.Reason != reasonNoProvider {
		t.Errorf("Reason = %q, want %q", unavailable.Reason, reasonNoProvider)
	}
	var de dbus.Error
	if !errors.As(err, &de) || de.Name != noProvider.Name {
		t.Errorf("the D-Bus error is not kept for debugging: %v", err)
	}
	if err := k.Set("svc", "alice", "x"); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("Set = %v, want ErrKeyringUnavailable", err)
	}
}

func TestClassifyKeyringError(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		reason string // "" means: not unavailable
	}{
		{"service unknown by message only", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), reasonNoProvider},
		{"pointer dbus error", &dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}, "the Secret Service did not answer"},
		{"locked", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, "the keyring is locked"},
		{"no collection", dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject"}, "the Secret Service has no default keyring"},
		{"activation failed", dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ChildExited"}, "the Secret Service failed to start"},
		{"go-keyring unlock", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), "the default keyring is missing or locked"},
		{"no bus address", errors.New("dbus: couldn't determine address of session bus"), "no D-Bus session; common over SSH"},
		{"no dbus-launch", &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, "no D-Bus session; common over SSH"},
		{"dial failed", fmt.Errorf("wrapped: %w", &net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: no such file or directory")}), "cannot connect to the D-Bus session bus"},
		{"closed", dbus.ErrClosed, "cannot connect to the D-Bus session bus"},
		{"unsupported platform", gokeyring.ErrUnsupportedPlatform, "not supported on " + runtime.GOOS},
		{"unrelated dbus error", dbus.Error{Name: "org.example.Weird", Body: []any{"weird"}}, ""},
		{"too big", gokeyring.ErrSetDataTooBig, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classifyKeyringError(tt.err)
			var u *KeyringUnavailableError
			switch {
			case tt.reason == "" && errors.Is(got, ErrKeyringUnavailable):
				t.Errorf("got %v, want an ordinary error", got)
			case tt.reason == "" && got.Error() != tt.err.Error():
				t.Errorf("got %v, want the original error kept", got)
			case tt.reason != "" && !errors.As(got, &u):
				t.Errorf("got %v, want unavailable (%s)", got, tt.reason)
			case tt.reason != "" && u.Reason != tt.reason:
				t.Errorf("reason = %q, want %q", u.Reason, tt.reason)
			}
		})
	}
	if got := classifyKeyringError(gokeyring.ErrNotFound); got != ErrNotFound {
		t.Errorf("go-keyring's ErrNotFound became %v, want ErrNotFound", got)
	}
	if classifyKeyringError(nil) != nil {
		t.Error("nil error became non-nil")
	}
}

// A keyring that never answers must cost one deadline, once.
func TestOSKeyringDeadline(t *testing.T) {
	backend := newBlockingKeyring(t)
	k := &osKeyring{
		timeout: 50 * time.Millisecond,
		backend: backend,
		getenv:  fakeEnv{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}.get,
		goos:    "linux",
	}

	start := time.Now()
	_, err := k.Get("svc", "alice")
	elapsed := time.Since(start)
	if !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("Get = %v, want unavailable after no answer within 50ms", err)
	}
	if elapsed < 50*time.Millisecond || elapsed > time.Second {
		t.Errorf("Get returned after %v, want about 50ms", elapsed)
	}

	// Later calls fail without asking the backend, so without waiting.
	if err := k.Set("svc", "alice", "x"); !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("Set after a timeout = %v, want the same unavailable error", err)
	}
	if n := backend.calls.Load(); n != 1 {
		t.Errorf("backend called %d times, want 1", n)
	}
}

func TestOSKeyringDefaultTimeout(t *testing.T) {
	for _, in := range []time.Duration{0, -time.Second} {
		if got := OSKeyring(in).(*osKeyring).deadline(); got != DefaultKeyringTimeout {
			t.Errorf("OSKeyring(%v) waits %v, want %v", in, got, DefaultKeyringTimeout)
		}
	}
	if got := OSKeyring(5 * time.Second).(*osKeyring).deadline(); got != 5*time.Second {
		t.Errorf("OSKeyring(5s) waits %v", got)
	}
}

func TestOSKeyringWithoutDBusSession(t *testing.T) {
	backend := newBlockingKeyring(t) // would hang if it were called
	k := &osKeyring{
		timeout:    time.Minute,
		backend:    backend,
		getenv:     fakeEnv{}.get,
		goos:       "linux",
		userBusFor: func() bool { return false },
	}
	start := time.Now()
	_, err := k.Get("svc", "alice")
	if got, want := fmt.Sprint(err), "OS keyring unavailable (no D-Bus session; common over SSH)"; got != want {
		t.Fatalf("Get = %q, want %q", got, want)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %v; the check must not touch D-Bus", elapsed)
	}
	if backend.calls.Load() != 0 {
		t.Error("the backend was called without a D-Bus session")
	}

	k.getenv = fakeEnv{"DBUS_SESSION_BUS_ADDRESS": "autolaunch:"}.get
	if _, err := k.Get("svc", "alice"); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("with autolaunch: Get = %v, want unavailable (godbus would spawn dbus-launch)", err)
	}
}

func TestOSKeyringUsesSystemdUserBus(t *testing.T) {
	gokeyring.MockInit()
	keyringMocked.Store(true)
	k := &osKeyring{
		timeout:    time.Second,
		backend:    goKeyring{},
		getenv:     fakeEnv{}.get,
		goos:       "linux",
		userBusFor: func() bool { return true },
	}
	if _, err := k.Get("svc", "alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("with /run/user/<uid>/bus: Get = %v, want the backend asked (ErrNotFound)", err)
	}
	// Keychain and Credential Manager need no D-Bus.
	k = &osKeyring{timeout: time.Second, backend: goKeyring{}, getenv: fakeEnv{}.get, goos: "darwin"}
	if _, err := k.Get("svc", "alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("on darwin: Get = %v, want the backend asked (ErrNotFound)", err)
	}
}

// The real OSKeyring, with the session bus address removed, as over SSH.
func TestRealOSKeyringWithoutDBusSessionIsQuick(t *testing.T) {
	if !usesSecretService(runtime.GOOS) {
		t.Skip("no D-Bus keyring on " + runtime.GOOS)
	}
	if userBusExists() {
		t.Skip("a systemd user bus exists here, so a session is reachable without the variable")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	start := time.Now()
	_, err := OSKeyring(DefaultKeyringTimeout).Get(KeyringService, "default")
	if !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), "no D-Bus session") {
		t.Fatalf("Get = %v, want unavailable: no D-Bus session", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %v, want an answer well before the %v deadline", elapsed, DefaultKeyringTimeout)
	}
}
