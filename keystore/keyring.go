package keystore

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	dbus "github.com/godbus/dbus/v5"
	gokeyring "github.com/zalando/go-keyring"
)

// Keyring is the small slice of an OS secret store that this package needs.
// Implementations return ErrNotFound for a missing entry and an error that
// matches ErrKeyringUnavailable when there is no usable store at all.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// DefaultKeyringTimeout bounds each OS keyring call. A Secret Service that
// wants to show an unlock prompt on a headless machine never answers, so
// without a deadline a run would hang before doing anything.
const DefaultKeyringTimeout = 2 * time.Second

// ErrNotFound means the keyring has no entry for the service and user.
var ErrNotFound = errors.New("no credentials saved in the OS keyring")

// ErrKeyringUnavailable matches (with errors.Is) every *KeyringUnavailableError.
var ErrKeyringUnavailable = errors.New("OS keyring unavailable")

// KeyringUnavailableError means there is no usable OS keyring here: no D-Bus
// session, no Secret Service, a locked keyring, or no answer in time. It is a
// fact about the machine, not a failure of the command, so Resolve turns it
// into a note.
type KeyringUnavailableError struct {
	Reason string // short and lower-case, e.g. "no D-Bus session; common over SSH"
	Err    error  // what the keyring library said, if anything
}

func (e *KeyringUnavailableError) Error() string {
	return "OS keyring unavailable (" + e.Reason + ")"
}

// Is makes errors.Is(err, ErrKeyringUnavailable) true.
func (e *KeyringUnavailableError) Is(target error) bool { return target == ErrKeyringUnavailable }

func (e *KeyringUnavailableError) Unwrap() error { return e.Err }

// OSKeyring returns the OS keyring (Secret Service over D-Bus on Linux and
// the BSDs, Keychain on macOS, Credential Manager on Windows) with each call
// bounded by timeout; zero or less means DefaultKeyringTimeout.
//
// A call that times out is left running in the background (go-keyring cannot
// be cancelled), and later calls through the same value fail at once: a store
// that did not answer once is not waited for again.
func OSKeyring(timeout time.Duration) Keyring {
	return &osKeyring{
		timeout:    timeout,
		backend:    goKeyring{},
		getenv:     os.Getenv,
		goos:       runtime.GOOS,
		userBusFor: userBusExists,
	}
}

type osKeyring struct {
	timeout time.Duration
	backend Keyring
	getenv  func(string) string
	goos    string
	// userBusFor reports whether the systemd per-user bus socket exists,
	// which godbus uses when DBUS_SESSION_BUS_ADDRESS is unset.
	userBusFor func() bool
	// stuck holds the timeout error once one call has timed out.
	stuck atomic.Pointer[KeyringUnavailableError]
}

func (k *osKeyring) Get(service, user string) (string, error) {
	return withDeadline(k, func() (string, error) { return k.backend.Get(service, user) })
}

func (k *osKeyring) Set(service, user, secret string) error {
	_, err := withDeadline(k, func() (struct{}, error) { return struct{}{}, k.backend.Set(service, user, secret) })
	return err
}

func (k *osKeyring) Delete(service, user string) error {
	_, err := withDeadline(k, func() (struct{}, error) { return struct{}{}, k.backend.Delete(service, user) })
	return err
}

// withDeadline runs call in a goroutine, as gh's internal/keyring does, and
// gives up after the timeout.
func withDeadline[T any](k *osKeyring, call func() (T, error)) (T, error) {
	var zero T
	if err := k.precheck(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: a late answer must not block the goroutine
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	timeout := k.deadline()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, classifyKeyringError(r.err)
	case <-timer.C:
		e := &KeyringUnavailableError{Reason: "no answer within " + timeout.String()}
		k.stuck.CompareAndSwap(nil, e)
		return zero, e
	}
}

func (k *osKeyring) deadline() time.Duration {
	if k.timeout <= 0 {
		return DefaultKeyringTimeout
	}
	return k.timeout
}

// precheck fails fast where a call is known to be pointless.
func (k *osKeyring) precheck() error {
	if e := k.stuck.Load(); e != nil {
		return e
	}
	if usesSecretService(k.goos) && !k.hasSessionBus() {
		// Without a session bus godbus would run dbus-launch, which either is
		// missing or starts a stray bus with an empty keyring.
		return &KeyringUnavailableError{Reason: "no D-Bus session; common over SSH"}
	}
	return nil
}

func (k *osKeyring) hasSessionBus() bool {
	if addr := k.getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return true
	}
	return k.userBusFor != nil && k.userBusFor()
}

// usesSecretService mirrors go-keyring's build tags for its D-Bus backend.
func usesSecretService(goos string) bool {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// userBusExists checks /run/user/<uid>/bus, the same place godbus looks.
func userBusExists() bool {
	uid := os.Getuid()
	if uid < 0 {
		return false
	}
	fi, err := os.Stat("/run/user/" + strconv.Itoa(uid) + "/bus")
	return err == nil && fi.Mode()&os.ModeSocket != 0
}

// classifyKeyringError maps go-keyring's and godbus's errors onto ErrNotFound
// or *KeyringUnavailableError; anything else is returned as it is.
func classifyKeyringError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gokeyring.ErrNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrKeyringUnavailable) {
		return err
	}
	if reason := unavailableReason(err); reason != "" {
		return &KeyringUnavailableError{Reason: reason, Err: err}
	}
	return err // callers say which operation failed
}

const reasonNoProvider = "no Secret Service such as gnome-keyring or KeePassXC is running"

// unavailableReason returns a short reason when err means "there is no usable
// keyring here", or "" when it is some other failure.
func unavailableReason(err error) string {
	if errors.Is(err, gokeyring.ErrUnsupportedPlatform) {
		return "not supported on " + runtime.GOOS
	}
	switch name := dbusErrorName(err); name {
	case "":
	case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
		return reasonNoProvider
	case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout", "org.freedesktop.DBus.Error.TimedOut":
		return "the Secret Service did not answer"
	case "org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod", "org.freedesktop.Secret.Error.NoSuchObject":
		return "the Secret Service has no default keyring"
	case "org.freedesktop.Secret.Error.IsLocked":
		return "the keyring is locked"
	case "org.freedesktop.DBus.Error.AccessDenied":
		return "access to the Secret Service was denied"
	default:
		if strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn.") {
			return "the Secret Service failed to start"
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "was not provided by any .service files"):
		return reasonNoProvider
	case strings.Contains(msg, "failed to unlock correct collection"):
		// go-keyring's wording when the default collection is missing or the
		// unlock prompt was refused.
		return "the default keyring is missing or locked"
	case strings.Contains(msg, "couldn't determine address of session bus"):
		return "no D-Bus session; common over SSH"
	case strings.Contains(msg, "dbus: authentication failed"):
		return "cannot connect to the D-Bus session bus"
	}
	var execErr *exec.Error // dbus-launch not installed
	if errors.As(err, &execErr) {
		return "no D-Bus session; common over SSH"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) || errors.Is(err, dbus.ErrClosed) {
		return "cannot connect to the D-Bus session bus"
	}
	return ""
}

// dbusErrorName returns the D-Bus error name inside err, if there is one.
// godbus hands out both dbus.Error and *dbus.Error.
func dbusErrorName(err error) string {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name
	}
	return ""
}

// goKeyring is go-keyring's package-level API as a Keyring, so the deadline
// wrapper can be tested with a fake backend.
type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return gokeyring.Get(service, user) }
func (goKeyring) Set(service, user, secret string) error   { return gokeyring.Set(service, user, secret) }
func (goKeyring) Delete(service, user string) error        { return gokeyring.Delete(service, user) }
