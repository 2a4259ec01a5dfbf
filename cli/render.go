package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// Human text goes to stderr in the colours it can show; stdout holds only
// results (an ImageId, a URL, JSON).

// The one-line printers and helpers commands share are report's.
var (
	okf       = report.OK
	warnf     = report.Warn
	notef     = report.Note
	writeJSON = report.JSON
	firstLine = report.FirstLine
	orUnknown = report.OrUnknown
)

// printError writes err and, where known, what it means and what to do.
// It is fang's error handler, so every command's failure looks the same.
func printError(s *iostreams.IOStreams, err error) {
	w := s.ColorErr()
	if errors.Is(err, importer.ErrInterrupted) {
		if err == importer.ErrInterrupted {
			fmt.Fprintln(w, iostreams.WarnStyle.Render("Interrupted.")+" Nothing was sent.")
			return
		}
		// Wrapped: the rest says what had happened by then (e.g. the import
		// was in flight), and a wrapped API error says what to check.
		fmt.Fprintln(w, iostreams.WarnStyle.Render("Interrupted")+indentRest(strings.TrimPrefix(err.Error(), importer.ErrInterrupted.Error())))
		if todo := importer.Explain(err).ToDo; todo != "" {
			fmt.Fprintln(w, iostreams.LabelStyle.Render("What to do: ")+todo)
		}
		return
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.err == errAlreadyReported {
		return
	}
	r := importer.Explain(err)
	if r.ToDo == "" && isFlagError(err) {
		r.ToDo = "run with --help to see the commands and flags."
	}
	for _, l := range iostreams.ErrorLines("Error:", r, 0) {
		fmt.Fprintln(w, l)
	}
}

func indentRest(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }
