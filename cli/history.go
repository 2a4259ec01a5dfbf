package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// HistoryOptions are `uimport history`'s flags and dependencies.
type HistoryOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	Limit int
}

// NewCmdHistory is `uimport history`; runF replaces runHistory in tests.
func NewCmdHistory(f *Factory, runF func(*HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List recent imports and copies from the local journal, newest first",
		Long: "Every submit is written to the journal before it is sent, so an import whose\n" +
			"answer never arrived (a dropped SSH session, a killed process) still shows up,\n" +
			"marked \"outcome unknown\": check it before submitting again. A copy shows its\n" +
			"source (\"copy of IMAGE from REGION\") and the region it was copied to.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return runHistory(opts)
		},
	}
	cmd.Flags().IntVarP(&opts.Limit, "limit", "n", 20, "show at most this many (0 for all)")
	return cmd
}

func runHistory(opts *HistoryOptions) error {
	f, io := opts.Factory, opts.IO
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	h, err := importer.ReadHistory(f.StateHome(), opts.Limit)
	if err != nil {
		return err
	}
	return report.History(io, s.JSON, h)
}
