package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/journal"
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
		Short: "List recent imports from the local journal, newest first",
		Long: "Every submit is written to the journal before it is sent, so an import whose\n" +
			"answer never arrived (a dropped SSH session, a killed process) still shows up,\n" +
			"marked \"outcome unknown\": check it before submitting again.",
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
	path := importer.OpenJournal(f.StateHome()).Path()
	entries, skipped, err := journal.Read(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if skipped > 0 {
		warnf(io, "%d damaged line(s) in %s were skipped", skipped, path)
	}
	if opts.Limit > 0 && len(entries) > opts.Limit {
		entries = entries[:opts.Limit]
	}
	if s.JSON {
		if entries == nil {
			entries = []journal.Entry{}
		}
		return writeJSON(io.Out, entries)
	}
	if len(entries) == 0 {
		notef(io, "No imports yet (journal: %s).", path)
		return nil
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SENT\tIMAGE\tNAME\tREGION\tOUTCOME")
	for _, e := range entries {
		name := e.Params["ImageName"]
		if e.Demo {
			name += " (demo)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.SentAt.Local().Format("2006-01-02 15:04:05"),
			orDash(e.ImageID), name, e.Params["Region"], outcome(e))
	}
	return tw.Flush()
}

func outcome(e journal.Entry) string {
	switch {
	case e.OutcomeUnknown():
		return "sent, outcome unknown: check with `uimport status` / the console before retrying"
	case e.Error != "":
		return "failed: " + firstLine(e.Error)
	case e.State != "":
		return e.State
	default:
		return "submitted"
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
