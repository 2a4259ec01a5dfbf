// Package earlyenv hides TMUX from package initialisation. lipgloss builds
// a package-level writer in its init, and detecting that writer's colour
// profile inside tmux runs `tmux info`: a subprocess costing ~4 ms before
// main starts, on every run, for a writer uimport never uses. Go initialises
// packages in import-path order among those whose imports are ready
// (https://go.dev/ref/spec#Package_initialization), and this package needs
// only os, so it runs before lipgloss, whose colorprofile import waits on
// os/exec. main calls Restore first thing, so the rest of the program sees
// the real environment.
package earlyenv

import "os"

var tmux, hadTmux = os.LookupEnv("TMUX")

func init() {
	if hadTmux {
		os.Unsetenv("TMUX")
	}
}

// Restore puts TMUX back as it was.
func Restore() {
	if hadTmux {
		os.Setenv("TMUX", tmux)
	}
}
