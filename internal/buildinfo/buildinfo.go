// Package buildinfo says what this binary is: version, commit and build
// date, from the linker in release builds, else from the module's build
// information, so a `go install` or dev build still says what it is.
package buildinfo

import "runtime/debug"

// Info is set by the linker in release builds.
type Info struct {
	Version string
	Commit  string
	Date    string
}

// Resolved fills what the linker did not set from the module's build info.
func (b Info) Resolved() Info {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if b.Version == "" || b.Version == "dev" {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			b.Version = v
		}
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.Commit == "" {
				b.Commit = s.Value
			}
		case "vcs.time":
			if b.Date == "" {
				b.Date = s.Value
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}
