package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Resolved fills what the linker did not set from the module's build info,
// so a `go install` or dev build still says what it is.
func (b BuildInfo) Resolved() BuildInfo {
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

func newVersionCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := app.Build
			fmt.Fprintf(app.IO.Out, "uimport %s\ncommit: %s\nbuilt:  %s\ngo:     %s %s/%s\n",
				b.Version, orUnknown(b.Commit), orUnknown(b.Date), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}

// versionLine is what --version prints after the name; fang adds the commit.
func versionLine(b BuildInfo) string {
	if b.Date == "" {
		return b.Version
	}
	return b.Version + ", built " + b.Date
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
