package keystore

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// The documented example key pair from the API signature docs: realistic
// shapes, and no secret.
const (
	testPublicKey  = "ucloudsomeone@example.com1296235120854146120"
	testPrivateKey = "46f09bb9fab4f12dfc160dae12273d5332b5debe"
)

var testCreds = Credentials{PublicKey: testPublicKey, PrivateKey: testPrivateKey}

// fakeEnv is an environment for Store.Getenv.
type fakeEnv map[string]string

func (e fakeEnv) get(k string) string { return e[k] }

// keyringMocked records that go-keyring's process-wide provider was replaced
// by a mock, which cannot be undone; the real Secret Service test then reruns
// itself in a fresh process.
var keyringMocked atomic.Bool

// mockOSKeyring swaps go-keyring's provider for its in-memory mock (failing
// every call with err when err is non-nil) and returns the OSKeyring wrapper
// over it, with a D-Bus session address so the wrapper's own check passes.
// Tests that use it must not run in parallel: the provider is global.
func mockOSKeyring(t *testing.T, err error) *osKeyring {
	t.Helper()
	keyringMocked.Store(true)
	if err != nil {
		gokeyring.MockInitWithError(err)
	} else {
		gokeyring.MockInit()
	}
	return &osKeyring{
		timeout: time.Second,
		backend: goKeyring{},
		getenv:  fakeEnv{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}.get,
		goos:    "linux",
	}
}

// blockingKeyring never answers, like a Secret Service waiting on an unlock
// prompt nobody can see. It is released when the test ends so no goroutine
// outlives it.
type blockingKeyring struct {
	release chan struct{}
	calls   atomic.Int32
}

func newBlockingKeyring(t *testing.T) *blockingKeyring {
	k := &blockingKeyring{release: make(chan struct{})}
	t.Cleanup(func() { close(k.release) })
	return k
}

func (k *blockingKeyring) block() {
	k.calls.Add(1)
	<-k.release
}

func (k *blockingKeyring) Get(service, user string) (string, error) {
	k.block()
	return "", ErrNotFound
}

func (k *blockingKeyring) Set(service, user, secret string) error { k.block(); return nil }
func (k *blockingKeyring) Delete(service, user string) error      { k.block(); return nil }

// mapKeyring is a plain in-memory Keyring for Store tests that do not need
// go-keyring in the loop.
type mapKeyring struct {
	mu      sync.Mutex
	secrets map[string]string
	err     error // returned by every call when set
}

func (k *mapKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return "", k.err
	}
	s, ok := k.secrets[service+"/"+user]
	if !ok {
		return "", ErrNotFound
	}
	return s, nil
}

func (k *mapKeyring) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return k.err
	}
	if k.secrets == nil {
		k.secrets = map[string]string{}
	}
	k.secrets[service+"/"+user] = secret
	return nil
}

func (k *mapKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return k.err
	}
	if _, ok := k.secrets[service+"/"+user]; !ok {
		return ErrNotFound
	}
	delete(k.secrets, service+"/"+user)
	return nil
}
