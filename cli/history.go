package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/safetext"
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
	if h.Skipped > 0 {
		warnf(io, "%d damaged line(s) in %s were skipped", h.Skipped, h.Path)
	}
	if s.JSON {
		return writeJSON(io.Out, h.Entries)
	}
	if len(h.Entries) == 0 {
		notef(io, "No imports yet (journal: %s).", h.Path)
		return nil
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SENT\tIMAGE\tNAME\tREGION\tOUTCOME")
	for _, e := range h.Entries {
		name, region := entryName(e), e.Params["Region"]
		if c, ok := imagecopy.CopyOf(e.Params); ok {
			// A copy lives in its target region; its source says what it is.
			name, region = copyEntryName(e, c), c.Region
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.SentAt.Local().Format("2006-01-02 15:04:05"),
			importer.First(e.ImageID, "-"), name, region, importer.Outcome(e))
	}
	return tw.Flush()
}

// copyEntryName is a journalled copy's name column: its name, if it was
// given one, and where it was copied from.
func copyEntryName(e journal.Entry, c imagecopy.JournalledCopy) string {
	name := "copy of " + c.SourceImageID + " from " + c.SourceRegion
	if c.ImageName != "" {
		name = c.ImageName + " (" + name + ")"
	}
	if e.Demo {
		name += " (demo)"
	}
	return safetext.Escape(name)
}
