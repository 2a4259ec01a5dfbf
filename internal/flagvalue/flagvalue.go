// Package flagvalue holds flag types that check their value as it is
// parsed, so a bad value is refused before anything is sent, and knows
// the flag parser's own errors.
package flagvalue

import (
	"fmt"
	"strings"
	"time"

	"github.com/uimport/uimport/follow"
)

// WaitTimeout is a --wait-timeout: a duration that refuses 0 and negative
// values (follow.ValidateWaitTimeout), since 0 must not mean "the default".
type WaitTimeout struct{ D *time.Duration }

func (p WaitTimeout) String() string {
	if p.D == nil {
		return ""
	}
	return p.D.String()
}

// Set parses v.
func (p WaitTimeout) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration (like 30m or 3h)", v)
	}
	if err := follow.ValidateWaitTimeout(d); err != nil {
		return err
	}
	*p.D = d
	return nil
}

// Type is what help shows for the value.
func (WaitTimeout) Type() string { return "duration" }

// IsParseError recognises the flag parser's (cobra's) usage errors, which
// are untyped.
func IsParseError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "unknown command", "accepts ", "requires at least", "requires exactly", "bad flag syntax"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
