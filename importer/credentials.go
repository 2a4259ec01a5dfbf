package importer

import (
	"context"
	"errors"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/keystore"
)

// Credentials are the keys in use and where they came from.
type Credentials struct {
	Keys   apiclient.Keys
	Source string
	// Notes say why sources were skipped (no keyring over SSH, ...).
	Notes []string
	demo  bool
}

// Summary is the line that says which keys are used: the source and the
// public key masked, never the private key.
func (c Credentials) Summary() string {
	if c.demo {
		return "Credentials: " + c.Source
	}
	return "Credentials: " + c.Source + ", public key " + keystore.MaskPublicKey(c.Keys.PublicKey)
}

// Credentials resolves the keys without prompting, once per session. The
// notes on skipped sources come back even when no keys were found.
func (s *Session) Credentials(ctx context.Context) (Credentials, error) {
	if s.creds != nil {
		return *s.creds, nil
	}
	if s.be.demo != nil {
		c := demoKeysCredentials()
		s.creds = &c
		return c, nil
	}
	r, err := s.be.keys.Resolve(ctx)
	if err != nil {
		c := Credentials{Notes: r.Notes}
		if errors.Is(err, keystore.ErrNoCredentials) {
			return c, &InputError{Msg: err.Error(), HintText: "Run `uimport auth login`, or set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY."}
		}
		return c, err
	}
	c := Credentials{
		Keys:   apiclient.Keys{PublicKey: r.Credentials.PublicKey, PrivateKey: r.Credentials.PrivateKey},
		Source: r.Source.String(), Notes: r.Notes,
	}
	s.creds = &c
	return c, nil
}

// Connect resolves the keys and reports them (notes, then which keys) to
// Events, and returns a client for them.
func (s *Session) Connect(ctx context.Context) (*apiclient.Client, error) {
	first := s.creds == nil
	c, err := s.Credentials(ctx)
	if first {
		for _, n := range c.Notes {
			s.cfg.Events.note("%s", n)
		}
	}
	if err != nil {
		return nil, err
	}
	if first {
		s.cfg.Events.note("%s", c.Summary())
	}
	return s.Client(c.Keys), nil
}
