package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/journal"
)

// History is `uimport history`'s table: one row per journalled import or
// copy, in the order given.
func History(w io.Writer, entries []journal.Entry) error {
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
