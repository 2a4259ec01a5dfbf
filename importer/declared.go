package importer

import (
	"fmt"
	"strings"

	"github.com/uimport/uimport/apiclient"
)

// Canonical checks a value declared with flag (like --os-type) and
// returns the API's spelling (canon); "" stays "" (nothing declared). A
// value canon does not know is an input error listing names.
func Canonical(flag, v string, canon func(string) (string, bool), names []string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	c, ok := canon(v)
	if !ok {
		return "", inputErrorf("Use one of: "+strings.Join(names, ", ")+".", fmt.Sprintf("%s %q is not one the import takes", flag, v))
	}
	return c, nil
}

// NoFileHint is what `upload` without a file says to do.
func NoFileHint(demo bool) string {
	hint := "Give the file to upload: uimport upload FILE --bucket BUCKET."
	if demo {
		hint += " In the demo, --sample 64MiB makes one."
	}
	return hint
}

// Check refuses settings no request can be made with, before anything is
// signed, journalled or sent: a timeout that is not positive, a base URL
// that is not one (the demo's address is its own, chosen later).
func (s Settings) Check() error {
	if s.Timeout <= 0 {
		return inputErrorf("Give a positive duration, like --timeout 30s.", "--timeout must be positive")
	}
	if !s.Demo {
		return apiclient.ValidateBaseURL(s.BaseURL)
	}
	return nil
}
