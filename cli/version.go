package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// NewCmdVersion is `uimport version`.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := f.Build
			fmt.Fprintf(f.IOStreams.Out, "uimport %s\ncommit: %s\nbuilt:  %s\ngo:     %s %s/%s\n",
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
