package importer

import (
	"strings"

	"github.com/uimport/uimport/imagecopy"
)

// The flags that repeat what the wizard did beyond its spec, for the
// command line that repeats its import (Session.CommandLine).

// CopyRepeatFlags are the flags that repeat copies made by the wizard,
// for the command line that repeats its import ("" for none).
func CopyRepeatFlags(copies []imagecopy.Result) string {
	if len(copies) == 0 {
		return ""
	}
	regions := make([]string, len(copies))
	for i, c := range copies {
		regions[i] = c.Region
	}
	return " --wait --copy-to " + strings.Join(regions, ",")
}

// SkipCheckFlag repeats the user's choice to go on past a blocking check:
// without it the same import would stop there.
func SkipCheckFlag(overridden bool) string {
	if overridden {
		return " --skip-check"
	}
	return ""
}
