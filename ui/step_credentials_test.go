package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"strings"
	"testing"

	"github.com/uimport/uimport/keystore"
)

func TestCredentialsShowsSourceAndMaskedKey(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	s := r.p.waitText(t, "Keys from:")
	for _, want := range []string{"environment (UCLOUD_PUBLIC_KEY)", "uclo…6120", "set (never shown)"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("screen lacks %q:\n%s", want, s.view)
		}
	}
	if strings.Contains(s.view, testPublicKey) {
		t.Error("the public key is shown unmasked")
	}
	requireGolden(t, s.raw)
}

func TestCredentialsAskedForAndSaved(t *testing.T) {
	store := emptyStore()
	r := startWizard(t, testOptions(newFakeAPI(), store))
	s := r.p.waitFocus(t, "public")
	for _, want := range []string{`No API keys found for profile "default"`, "OS keyring unavailable (no D-Bus session"} {
		if !strings.Contains(s.view, want) {
			t.Errorf("screen lacks %q:\n%s", want, s.view)
		}
	}
	r.Type("has space")
	r.p.waitText(t, "contains a space")
	r.Send(keyEnterMsg)
	if s := r.p.get(); s.focus != "public" {
		t.Fatalf("moved on from an invalid public key to %q", s.focus)
	}
	for range "has space" {
		r.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	r.p.waitFor(t, "the field cleared", func(s snapshot) bool { return !strings.Contains(s.view, "has space") })
	r.Type(testPublicKey)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "private")
	r.Type(testPrivateKey)
	s = r.p.waitText(t, strings.Repeat("*", len(testPrivateKey))+" ") // all typed
	requireGolden(t, s.raw)                                           // the private key shows as stars
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "save")
	r.Send(keyEnterMsg) // Save is the default
	r.p.waitText(t, `Saved in the OS keyring as profile "default"`)
	store.mu.Lock()
	saved := store.saved
	store.mu.Unlock()
	if len(saved) != 1 || saved[0].PublicKey != testPublicKey || saved[0].PrivateKey != testPrivateKey {
		t.Errorf("saved %v", saved)
	}
	r.p.waitText(t, "typed in the wizard")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepRegion)
}

func TestCredentialsKeyringUnavailableContinues(t *testing.T) {
	store := emptyStore()
	store.saveErr = fmt.Errorf("cannot save credentials for profile \"default\": %w",
		&keystore.KeyringUnavailableError{Reason: "no D-Bus session; common over SSH"})
	r := startWizard(t, testOptions(newFakeAPI(), store))
	r.p.waitFocus(t, "public")
	r.Type(testPublicKey)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "private")
	r.Type(testPrivateKey)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "save")
	r.Send(keyEnterMsg)
	s := r.p.waitText(t, "OS keyring unavailable (no D-Bus session; common over SSH): the keys are used for this run only.")
	if n := strings.Count(s.view, "OS keyring unavailable"); n != 2 { // the lookup's note and the save's
		t.Errorf("keyring mentioned %d times:\n%s", n, s.view)
	}
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "region")
}

func TestCredentialsThisRunOnlyIsNotSaved(t *testing.T) {
	store := emptyStore()
	r := startWizard(t, testOptions(newFakeAPI(), store))
	r.p.waitFocus(t, "public")
	r.Type(testPublicKey)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "private")
	r.Type(testPrivateKey)
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "save")
	r.Send(char('n'))
	r.p.waitFocus(t, "region")
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.saved) != 0 {
		t.Errorf("saved %v although the user chose this run only", store.saved)
	}
}
