package keystore

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Credentials is a UCloud API key pair.
//
// String, GoString, Format, LogValue and MarshalJSON all leave the private key
// out, so a Credentials that ends up in a log line, an error or a JSON dump by
// accident shows only the masked public key and whether a private key is set.
type Credentials struct {
	PublicKey  string
	PrivateKey string
}

// ErrInvalidCredentials is wrapped by every validation failure.
var ErrInvalidCredentials = errors.New("invalid credentials")

// Normalize trims surrounding whitespace and newlines (keys are usually
// pasted or read from files) and then validates what is left.
func (c Credentials) Normalize() (Credentials, error) {
	c.PublicKey = strings.TrimSpace(c.PublicKey)
	c.PrivateKey = strings.TrimSpace(c.PrivateKey)
	return c, c.Validate()
}

// Validate reports whether both keys are present and free of whitespace,
// control and invisible characters: such a key can only be a paste or file
// mistake, and the API would answer it with a puzzling signature error.
// It does not trim; see Normalize.
func (c Credentials) Validate() error {
	if err := validateKey("public key", c.PublicKey); err != nil {
		return err
	}
	return validateKey("private key", c.PrivateKey)
}

func validateKey(name, v string) error {
	if v == "" {
		return fmt.Errorf("%w: the %s is empty", ErrInvalidCredentials, name)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: the %s is not valid UTF-8", ErrInvalidCredentials, name)
	}
	for _, r := range v {
		// Cf catches zero-width spaces and byte-order marks that web pages
		// slip into copied text.
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("%w: the %s contains a space, control or invisible character", ErrInvalidCredentials, name)
		}
	}
	return nil
}

// String shows the masked public key and whether a private key is set.
func (c Credentials) String() string {
	return "public key: " + maskedOrNone(c.PublicKey) + ", private key: " + setOrNot(c.PrivateKey)
}

// GoString serves %#v, which would otherwise print every field verbatim.
func (c Credentials) GoString() string {
	return fmt.Sprintf("keystore.Credentials{PublicKey:%q, PrivateKey:%q}",
		MaskPublicKey(c.PublicKey), redacted(c.PrivateKey))
}

// Format makes every verb (%v, %+v, %s, %q, %x, ...) go through String or
// GoString, so no formatting path reaches the raw fields.
func (c Credentials) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.String(), c.GoString())
}

// LogValue keeps slog handlers, which look past String, from logging the
// fields.
func (c Credentials) LogValue() slog.Value {
	return slog.StringValue(c.String())
}

// MarshalJSON writes the masked public key and whether a private key is set.
// Saving credentials is this package's job and uses its own encoding.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		PublicKey     string `json:"public_key"`
		PrivateKeySet bool   `json:"private_key_set"`
	}{MaskPublicKey(c.PublicKey), c.PrivateKey != ""})
}

func setOrNot(s string) string {
	if s == "" {
		return "not set"
	}
	return "set"
}

func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

func formatRedacted(f fmt.State, verb rune, s, goString string) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, goString)
		return
	}
	// Rebuild the caller's verb and flags (width, %q, %x, ...) and apply them
	// to the safe text only.
	fmt.Fprintf(f, fmt.FormatString(f, verb), s)
}

// Source says where credentials were found.
type Source string

// The sources, in the order Resolve tries them.
const (
	SourceEnv        Source = "env"
	SourceKeyring    Source = "keyring"
	SourceCLIProfile Source = "ucloud-cli"
	SourcePrompt     Source = "prompt"
)

// String describes the source for a person, without a profile name; see
// Describe for the fuller form.
func (s Source) String() string {
	switch s {
	case SourceEnv:
		return "environment (" + EnvPublicKey + ")"
	case SourceKeyring:
		return "OS keyring"
	case SourceCLIProfile:
		return "ucloud CLI profile (~/.ucloud/" + cliCredentialFile + ")"
	case SourcePrompt:
		return "typed at the prompt"
	case "":
		return "nowhere"
	}
	return string(s)
}

// Describe is String with the profile named where the source has profiles,
// e.g. `OS keyring (profile "default")`.
func (s Source) Describe(profile string) string {
	switch s {
	case SourceKeyring:
		return fmt.Sprintf("OS keyring (profile %q)", profile)
	case SourceCLIProfile:
		return fmt.Sprintf("ucloud CLI profile %q (~/.ucloud/%s)", profile, cliCredentialFile)
	}
	return s.String()
}

// Resolved is what Resolve found: the credentials, where they came from, and
// notes about sources that were skipped on the way.
//
// It formats, logs and marshals without the private key, like Credentials.
type Resolved struct {
	Credentials
	Source
	// Profile is the profile the credentials belong to in their source: the
	// one asked for, except when the ucloud CLI has no "default" profile and
	// its active profile was used instead.
	Profile string
	// Notes are one-line messages for the user, e.g. why the OS keyring was
	// skipped. They never contain a key.
	Notes []string
}

// Origin describes where the credentials came from, for a person:
// `OS keyring (profile "default")`.
func (r Resolved) Origin() string {
	return r.Source.Describe(r.Profile)
}

// String is needed because the embedded Credentials and Source both have
// one; it also keeps %v from showing only the credentials.
func (r Resolved) String() string {
	return r.Credentials.String() + " (from " + r.Origin() + ")"
}

// GoString shows every field, the credentials redacted.
func (r Resolved) GoString() string {
	return fmt.Sprintf("keystore.Resolved{Credentials:%s, Source:%s, Profile:%q, Notes:%#v}",
		r.Credentials.GoString(), strconv.Quote(string(r.Source)), r.Profile, r.Notes)
}

// Format overrides the one promoted from Credentials, which would print only
// the credentials.
func (r Resolved) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, r.String(), r.GoString())
}

// LogValue overrides the one promoted from Credentials.
func (r Resolved) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("source", string(r.Source)),
		slog.String("profile", r.Profile),
		slog.String("public_key", MaskPublicKey(r.PublicKey)),
		slog.Bool("private_key_set", r.PrivateKey != ""),
	)
}

// MarshalJSON overrides the one promoted from Credentials, which would drop
// the other fields.
func (r Resolved) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Source        Source   `json:"source"`
		Origin        string   `json:"origin"`
		Profile       string   `json:"profile"`
		PublicKey     string   `json:"public_key"`
		PrivateKeySet bool     `json:"private_key_set"`
		Notes         []string `json:"notes,omitempty"`
	}{r.Source, r.Origin(), r.Profile, MaskPublicKey(r.PublicKey), r.PrivateKey != "", r.Notes})
}
