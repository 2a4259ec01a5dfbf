package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// envSecretService switches on the test against a real Secret Service.
// keystore/testdata/with-secret-service.sh sets it, inside a private D-Bus
// session with a throwaway gnome-keyring.
const envSecretService = "UIMPORT_TEST_SECRET_SERVICE"

func TestSecretServiceRoundTrip(t *testing.T) {
	if os.Getenv(envSecretService) != "1" {
		t.Skipf("needs a real Secret Service: run keystore/testdata/with-secret-service.sh go test ./keystore -run SecretService (or set %s=1 where one is running)", envSecretService)
	}
	if keyringMocked.Load() {
		// go-keyring's backend is process-wide and its mock cannot be undone,
		// so a test that ran earlier in this process would turn this one into
		// a mock test. Run it again on its own.
		rerunAlone(t)
		return
	}

	// Generous: the first call may start the daemon, under the race detector.
	k := OSKeyring(10 * time.Second)
	// A fresh name per run under a test service, in case this runs against
	// someone's real keyring.
	const service = "uimport-test"
	user := fmt.Sprintf("roundtrip-%d", time.Now().UnixNano())
	t.Cleanup(func() { _ = k.Delete(service, user) })

	if _, err := k.Get(service, user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set = %v, want ErrNotFound", err)
	}
	if err := k.Set(service, user, "first"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := k.Set(service, user, "second"); err != nil { // replaces, not duplicates
		t.Fatalf("Set again: %v", err)
	}
	if got, err := k.Get(service, user); err != nil || got != "second" {
		t.Fatalf("Get = %q, %v; want %q", got, err, "second")
	}
	if err := k.Delete(service, user); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(service, user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := k.Delete(service, user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete after Delete = %v, want ErrNotFound", err)
	}

	// The same through Store, under uimport's real service name.
	s := &Store{Profile: "test-" + user, Keyring: k}
	t.Cleanup(func() { _ = s.Delete(context.Background()) })
	ctx := context.Background()
	if err := s.Save(ctx, testCreds); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := s.Resolve(ctx)
	if err != nil || got.Source != SourceKeyring || got.Credentials != testCreds {
		t.Fatalf("Resolve = %v, %v; want the saved credentials from the keyring", got, err)
	}
	if err := s.Delete(ctx); err != nil {
		t.Fatalf("Store.Delete: %v", err)
	}
	if err := s.Delete(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Store.Delete again = %v, want ErrNotFound", err)
	}
}

func rerunAlone(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecretServiceRoundTrip$", "-test.v", "-test.count=1", "-test.timeout=2m")
	out, err := cmd.CombinedOutput()
	t.Logf("rerun in a fresh process:\n%s", out)
	if err != nil {
		t.Fatalf("fresh-process run failed: %v", err)
	}
}
