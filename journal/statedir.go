package journal

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// ErrNoStateHome: no directory of the user's can hold the journal and the
// upload states. Without HOME, the XDG default becomes "/.local/state",
// which is nobody's (and, as root, would be created at the top of the
// filesystem).
var ErrNoStateHome = errors.New("HOME is not set, so there is no place for the journal and upload states: set HOME (or XDG_STATE_HOME) to your home directory")

// StateHome returns the state directory root: $XDG_STATE_HOME when it is
// an absolute path, else platformDefault (e.g. xdg.StateHome), but only
// when HOME is set to an absolute path other than "/", since that default
// is derived from it. On Windows platformDefault is used as it is.
func StateHome(platformDefault string) (string, error) {
	if x := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(x) {
		return x, nil
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" {
		home := os.Getenv("HOME")
		if home == "" || !filepath.IsAbs(home) || filepath.Clean(home) == "/" {
			return "", ErrNoStateHome
		}
	}
	if platformDefault == "" || !filepath.IsAbs(platformDefault) {
		return "", ErrNoStateHome
	}
	return platformDefault, nil
}
