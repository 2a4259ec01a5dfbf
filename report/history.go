package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/journal"
)

// History is `uimport history`: damaged lines said on stderr, then the
// entries as JSON or a table (or a note that there are none).
func History(io *iostreams.IOStreams, asJSON bool, h importer.History) error {
	if h.Skipped > 0 {
		Warn(io, "%d damaged line(s) in %s were skipped", h.Skipped, h.Path)
	}
	if asJSON {
		return JSON(io.Out, h.Entries)
	}
	if len(h.Entries) == 0 {
		Note(io, "No imports yet (journal: %s).", h.Path)
		return nil
	}
	return historyTable(io.Out, h.Entries)
}

// historyTable is one row per journalled import or copy, in the order given.
func historyTable(w io.Writer, entries []journal.Entry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SENT\tIMAGE\tNAME\tREGION\tOUTCOME")
	for _, e := range entries {
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

// entryName is a journal entry's image name, marked when it went to the
// simulator.
func entryName(e journal.Entry) string {
	if e.Demo {
		return e.Params["ImageName"] + " (demo)"
	}
	return e.Params["ImageName"]
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
	return esc(name)
}
