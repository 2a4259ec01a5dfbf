package apiclient

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/uimport/uimport/internal/safetext"
)

// InputError is a value refused before anything was sent or journaled: a
// usage error (exit 2). Field names the flag or setting that supplied it.
type InputError struct {
	Field   string // e.g. "--base-url"
	Problem string
}

func (e *InputError) Error() string {
	return e.Field + ": " + e.Problem + " (nothing was sent)"
}

func (e *InputError) Hint() string {
	if e.Field == "--base-url" {
		return "Pass the API's address with http:// or https://, a host and nothing after it, like " + DefaultBaseURL + "."
	}
	return "Fix " + e.Field + " and run the command again."
}

// ValidateBaseURL checks an API base URL before anything is signed,
// journaled or sent: http or https, a host (with a port in range, if
// any), no user information, no query and no fragment. A path is allowed
// (a gateway may serve the API under one).
func ValidateBaseURL(raw string) error {
	bad := func(problem string) error { return &InputError{Field: "--base-url", Problem: problem} }
	if raw == "" {
		return bad("it is empty")
	}
	for _, r := range raw {
		if r <= ' ' || r == 0x7f || !strconv.IsPrint(r) {
			return bad(fmt.Sprintf("%q contains a space or control character", safetext.Escape(raw)))
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad(fmt.Sprintf("%q is not a URL", safetext.Escape(raw)))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return bad(fmt.Sprintf("%q needs http:// or https:// in front", safetext.Escape(raw)))
	case u.Opaque != "" || u.Hostname() == "":
		return bad(fmt.Sprintf("%q has no host", safetext.Escape(raw)))
	case u.User != nil:
		return bad("it must not contain a user name or password")
	case u.RawQuery != "" || u.ForceQuery:
		return bad("it must not have a ?query")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("it must not have a #fragment")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad(fmt.Sprintf("port %s is out of range", p))
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("it has an empty port")
	}
	return nil
}

// NewChecked is New for a base URL that came from the user: an invalid
// one is an *InputError instead of a client that would fail later.
func NewChecked(baseURL string, keys Keys, userAgent string) (*Client, error) {
	c := New(baseURL, keys, userAgent)
	if err := ValidateBaseURL(c.BaseURL); err != nil {
		return nil, err
	}
	return c, nil
}

// MaxImageIDLen bounds an image id; real ones are about 15 characters.
const MaxImageIDLen = 64

// ErrBadImageID is the reason a malformed ImageId is refused.
var ErrBadImageID = errors.New("not an image id (like uimage-abc12345)")

// ValidImageID reports whether id has an image id's shape: a lower-case
// prefix, a hyphen, then letters, digits, hyphens or underscores, at most
// MaxImageIDLen in all ("uimage-abc12345"). Nothing else (a path, "..",
// spaces, control characters) can pass, so an id from an answer is safe to
// print, journal and send back.
func ValidImageID(id string) bool {
	if len(id) < 3 || len(id) > MaxImageIDLen {
		return false
	}
	prefix, rest, ok := strings.Cut(id, "-")
	if !ok || prefix == "" || rest == "" {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return rest[0] != '-' && rest[0] != '_'
}

// badImageID is the answer naming a malformed ImageId: a bad response.
func badImageID(action, id string) error {
	s := id
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return &ResponseError{Action: action, Kind: ResponseMalformed, Snippet: "ImageId \"" + safetext.Escape(s) + "\"",
		Err: ErrBadImageID}
}
