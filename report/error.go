package report

import (
	"errors"
	"fmt"
	"strings"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

// Error writes err and, where known, what it means and what to do. An
// interruption says what had happened by then. flagError marks a usage
// error from the flag parser, which gets a pointer to --help.
func Error(s *iostreams.IOStreams, err error, flagError bool) {
	w := s.ColorErr()
	if errors.Is(err, importer.ErrInterrupted) {
		if err == importer.ErrInterrupted {
			fmt.Fprintln(w, iostreams.WarnStyle.Render("Interrupted.")+" Nothing was sent.")
			return
		}
		// Wrapped: the rest says what had happened by then (e.g. the import
		// was in flight), and a wrapped API error says what to check.
		rest := strings.TrimPrefix(err.Error(), importer.ErrInterrupted.Error())
		fmt.Fprintln(w, iostreams.WarnStyle.Render("Interrupted")+strings.ReplaceAll(rest, "\n", "\n  "))
		if todo := importer.Explain(err).ToDo; todo != "" {
			fmt.Fprintln(w, iostreams.LabelStyle.Render("What to do: ")+todo)
		}
		return
	}
	r := importer.Explain(err)
	if r.ToDo == "" && flagError {
		r.ToDo = "run with --help to see the commands and flags."
	}
	for _, l := range iostreams.ErrorLines("Error:", r, 0) {
		fmt.Fprintln(w, l)
	}
}
