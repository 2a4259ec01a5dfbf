package importer

import (
	"fmt"
	"strings"
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
