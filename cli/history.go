package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/journal"
)

func newHistoryCmd(app *App, g *globalFlags) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List recent imports from the local journal, newest first",
		Long: "Every submit is written to the journal before it is sent, so an import whose\n" +
			"answer never arrived (a dropped SSH session, a killed process) still shows up,\n" +
			"marked \"outcome unknown\": check it before submitting again.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := app.resolve(g)
			if err != nil {
				return err
			}
			path := app.journal().Path()
			entries, skipped, err := journal.Read(path)
			if err != nil {
				return fmt.Errorf("reading %s: %w", path, err)
			}
			if skipped > 0 {
				warnf(app.IO.Err, "%d damaged line(s) in %s were skipped", skipped, path)
			}
			if limit > 0 && len(entries) > limit {
				entries = entries[:limit]
			}
			if s.JSON {
				if entries == nil {
					entries = []journal.Entry{}
				}
				return writeJSON(app.IO.Out, entries)
			}
			if len(entries) == 0 {
				notef(app.IO.Err, "No imports yet (journal: %s).", path)
				return nil
			}
			tw := tabwriter.NewWriter(app.IO.Out, 0, 0, 2, ' ', 0)
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
		},
	}
	cmd.Flags().IntVarP(&limit, "limit", "n", 20, "show at most this many (0 for all)")
	return cmd
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
