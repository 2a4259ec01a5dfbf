// Package keystore answers "which credentials, from where" for uimport: it
// finds a UCloud key pair in the environment, the OS keyring or the official
// ucloud CLI's profile files, and saves or deletes uimport's own keyring
// entry. It never touches the terminal; prompting goes through Prompter.
package keystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// KeyringService is the service name of uimport's OS keyring entries; the
// user name is the profile.
const KeyringService = "uimport"

// ErrNoCredentials matches (with errors.Is) the *NoCredentialsError that
// Resolve returns when no source had usable credentials.
var ErrNoCredentials = errors.New("no credentials")

// NoCredentialsError tells the user what to do when nothing was found.
type NoCredentialsError struct {
	Profile string
	Notes   []string // why sources were skipped; the same as Resolved.Notes
}

func (e *NoCredentialsError) Error() string {
	return fmt.Sprintf("no credentials for profile %q: run `uimport auth login`, or set %s and %s",
		e.Profile, EnvPublicKey, EnvPrivateKey)
}

// Is makes errors.Is(err, ErrNoCredentials) true.
func (e *NoCredentialsError) Is(target error) bool { return target == ErrNoCredentials }

// Prompter asks a person for credentials. Resolve calls it only after every
// other source came up empty. Returning empty Credentials and a nil error
// means the person declined; save asks Resolve to store what was typed in the
// OS keyring.
type Prompter interface {
	PromptCredentials(ctx context.Context, profile string) (c Credentials, save bool, err error)
}

// Store finds, saves and deletes credentials for one profile. Every
// dependency is a field so tests can replace it; NewStore wires the real ones.
// Nil or empty fields switch a source off: nil Getenv reads no environment,
// nil Keyring skips the OS keyring, empty HomeDir skips the ucloud CLI's
// files, nil Prompt never prompts.
type Store struct {
	Profile string // empty means DefaultProfile
	Getenv  func(string) string
	Keyring Keyring
	HomeDir string
	Prompt  Prompter
}

// NewStore returns a Store for profile that reads the real environment, the
// OS keyring (with DefaultKeyringTimeout) and the user's home directory. The
// caller decides the profile (flag, then ProfileFromEnv) and sets Prompt if
// it may prompt.
func NewStore(profile string) *Store {
	home, _ := os.UserHomeDir() // empty on failure: the CLI source then says so in a note
	return &Store{
		Profile: profile,
		Getenv:  os.Getenv,
		Keyring: OSKeyring(DefaultKeyringTimeout),
		HomeDir: home,
	}
}

func (s *Store) profile() string { return profileOrDefault(s.Profile) }

// Resolve returns the first usable credentials from, in order: the
// environment (UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY), the OS keyring, the
// ucloud CLI's ~/.ucloud files, and the Prompt. Sources that are missing,
// unavailable or damaged are skipped with a note, never an error. The error
// is a *NoCredentialsError (errors.Is ErrNoCredentials) when nothing was
// found, the Prompt's error, or the context's. The returned Resolved carries
// the notes in every case.
func (s *Store) Resolve(ctx context.Context) (Resolved, error) {
	profile := s.profile()
	res := Resolved{Profile: profile}
	if err := ctx.Err(); err != nil {
		return res, err
	}

	c, ok, note := credentialsFromEnv(s.Getenv)
	res.addNote(note)
	if ok {
		if profile != DefaultProfile {
			// Otherwise the profile the user named would be ignored silently.
			res.addNote(fmt.Sprintf("%s/%s take precedence over profile %q", EnvPublicKey, EnvPrivateKey, profile))
		}
		return res.found(c, SourceEnv, profile), nil
	}

	if s.Keyring != nil {
		c, ok, note, err := s.fromKeyring(ctx, profile)
		if err != nil {
			return res, err
		}
		res.addNote(note)
		if ok {
			return res.found(c, SourceKeyring, profile), nil
		}
	}

	if err := ctx.Err(); err != nil {
		return res, err
	}
	c, name, ok, notes := credentialsFromCLI(s.HomeDir, profile)
	res.Notes = append(res.Notes, notes...)
	if ok {
		return res.found(c, SourceCLIProfile, name), nil
	}

	if s.Prompt != nil {
		return s.fromPrompt(ctx, res)
	}
	return res, &NoCredentialsError{Profile: profile, Notes: res.Notes}
}

func (r *Resolved) addNote(note string) {
	if note != "" {
		r.Notes = append(r.Notes, note)
	}
}

func (r Resolved) found(c Credentials, src Source, profile string) Resolved {
	r.Credentials, r.Source, r.Profile = c, src, profile
	return r
}

// keyringSecret is the JSON stored as the keyring secret: one entry holds
// both keys so they cannot drift apart.
type keyringSecret struct {
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

// fromKeyring returns an error only when ctx ends; every keyring problem
// becomes a note.
func (s *Store) fromKeyring(ctx context.Context, profile string) (Credentials, bool, string, error) {
	secret, err := callKeyring(ctx, func() (string, error) { return s.Keyring.Get(KeyringService, profile) })
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return Credentials{}, false, "", ctx.Err()
	case errors.Is(err, ErrNotFound):
		return Credentials{}, false, "", nil
	case errors.Is(err, ErrKeyringUnavailable):
		return Credentials{}, false, err.Error() + ": skipped", nil
	default:
		return Credentials{}, false, fmt.Sprintf("OS keyring failed (%v): skipped", err), nil
	}
	var stored keyringSecret
	if err := json.Unmarshal([]byte(secret), &stored); err != nil {
		return Credentials{}, false, fmt.Sprintf("OS keyring entry for profile %q is not in uimport's format: skipped (run `uimport auth login` to replace it)", profile), nil
	}
	c, err := Credentials(stored).Normalize()
	if err != nil {
		return Credentials{}, false, fmt.Sprintf("OS keyring entry for profile %q skipped: %v", profile, err), nil
	}
	return c, true, "", nil
}

func (s *Store) fromPrompt(ctx context.Context, res Resolved) (Resolved, error) {
	c, save, err := s.Prompt.PromptCredentials(ctx, res.Profile)
	if err != nil {
		return res, err
	}
	if c.PublicKey == "" && c.PrivateKey == "" {
		return res, &NoCredentialsError{Profile: res.Profile, Notes: res.Notes}
	}
	c, err = c.Normalize()
	if err != nil {
		return res, err
	}
	res = res.found(c, SourcePrompt, res.Profile)
	if save {
		if err := s.Save(ctx, c); err != nil {
			res.addNote(err.Error())
		} else {
			res.addNote(fmt.Sprintf("saved to the OS keyring for profile %q", res.Profile))
		}
	}
	return res, nil
}

// Save normalises and validates c, then stores it in the OS keyring under the
// Store's profile, replacing any earlier entry. When there is no usable
// keyring the error matches ErrKeyringUnavailable, and the caller can suggest
// the environment variables instead.
func (s *Store) Save(ctx context.Context, c Credentials) error {
	c, err := c.Normalize()
	if err != nil {
		return err
	}
	profile := s.profile()
	if s.Keyring == nil {
		return fmt.Errorf("cannot save credentials for profile %q: %w", profile, &KeyringUnavailableError{Reason: "no keyring configured"})
	}
	secret, err := json.Marshal(keyringSecret(c))
	if err != nil {
		return err
	}
	_, err = callKeyring(ctx, func() (struct{}, error) {
		return struct{}{}, s.Keyring.Set(KeyringService, profile, string(secret))
	})
	if err != nil {
		return fmt.Errorf("cannot save credentials for profile %q%s: %w", profile, inKeyring(err), err)
	}
	return nil
}

// Delete removes the Store's profile from the OS keyring. It never touches
// the ucloud CLI's files. A missing entry gives an error matching ErrNotFound.
func (s *Store) Delete(ctx context.Context) error {
	profile := s.profile()
	if s.Keyring == nil {
		return fmt.Errorf("cannot delete credentials for profile %q: %w", profile, &KeyringUnavailableError{Reason: "no keyring configured"})
	}
	_, err := callKeyring(ctx, func() (struct{}, error) {
		return struct{}{}, s.Keyring.Delete(KeyringService, profile)
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w for profile %q", ErrNotFound, profile)
	default:
		return fmt.Errorf("cannot delete credentials for profile %q%s: %w", profile, inKeyring(err), err)
	}
}

// CLIProfile returns the ucloud CLI's settings (region, project, API host)
// for the Store's profile; see LoadCLIProfile.
func (s *Store) CLIProfile() (CLIProfile, bool, error) {
	return LoadCLIProfile(s.HomeDir, s.profile())
}

// inKeyring names the keyring in a message unless err already does.
func inKeyring(err error) string {
	if errors.Is(err, ErrKeyringUnavailable) {
		return ""
	}
	return " in the OS keyring"
}

// callKeyring lets ctx interrupt a keyring call. OSKeyring has its own
// deadline; this covers cancellation (Ctrl-C) and any other Keyring.
func callKeyring[T any](ctx context.Context, call func() (T, error)) (T, error) {
	if ctx.Done() == nil {
		return call()
	}
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
