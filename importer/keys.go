package importer

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/uimport/uimport/keystore"
)

// The keys in the OS keyring: `auth login`, `auth status`, `auth logout`.

// ReadKeys reads two lines: the public key, then the private key.
func ReadKeys(r io.Reader) (keystore.Credentials, error) {
	sc := bufio.NewScanner(r)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return keystore.Credentials{}, inputErrorf("Give the public key on the first line and the private key on the second.",
			"expected two lines on standard input")
	}
	return keystore.Credentials{PublicKey: lines[0], PrivateKey: lines[1]}.Normalize()
}

// SaveKeys checks keys and saves them in the keyring. Invalid keys and a
// keyring that cannot keep them are bad input, with what to do instead.
func SaveKeys(ctx context.Context, store KeyStore, c keystore.Credentials, readErr error) error {
	if readErr == nil {
		readErr = store.Save(ctx, c)
	}
	return keyringError(readErr)
}

// DeleteKeys removes a profile's keys from the keyring; found is false
// when there were none.
func DeleteKeys(ctx context.Context, store *keystore.Store) (found bool, err error) {
	err = store.Delete(ctx)
	if errors.Is(err, keystore.ErrNotFound) {
		return false, nil
	}
	return err == nil, keyringError(err)
}

// KeyStatus is which keys would be used, from where; the notes say why
// sources were skipped, also when no keys were found.
type KeyStatus struct {
	Profile   string   `json:"profile"`
	Source    string   `json:"source"`
	PublicKey string   `json:"public_key_masked"`
	Notes     []string `json:"notes,omitempty"`
}

// ResolveKeys says which keys a command would use, without prompting.
func ResolveKeys(ctx context.Context, store KeyStore, profile string) (KeyStatus, error) {
	r, err := store.Resolve(ctx)
	st := KeyStatus{Profile: profile, Notes: r.Notes}
	if err != nil {
		return st, &InputError{Msg: err.Error(), HintText: "Run `uimport auth login`, or set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY."}
	}
	st.Source, st.PublicKey = r.Origin(), keystore.MaskPublicKey(r.Credentials.PublicKey)
	return st, nil
}

// keyringError explains what to do when the keyring cannot keep the keys.
func keyringError(err error) error {
	switch {
	case errors.Is(err, keystore.ErrKeyringUnavailable):
		return &InputError{Msg: err.Error(),
			HintText: "Without a keyring (e.g. over SSH), set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY, or use the ucloud CLI's ~/.ucloud/credential.json (mode 0600)."}
	case errors.Is(err, keystore.ErrInvalidCredentials):
		return &InputError{Msg: err.Error(), HintText: "Copy the keys again from the console's API key page."}
	}
	return err
}
