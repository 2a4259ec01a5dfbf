package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/iostreams"
)

// Human text goes to stderr in the colours it can show; stdout holds only
// results (an ImageId, a URL, JSON).

// okf, warnf and notef print one line each. Their arguments are escaped
// (safetext): file names, bucket, key, flag values and server text come
// from outside and must not move the cursor or forge a line of our own.
func okf(s *iostreams.IOStreams, format string, a ...any) {
	fmt.Fprintln(s.ColorErr(), iostreams.OKLine(fmt.Sprintf(format, escapeArgs(a)...)))
}

func warnf(s *iostreams.IOStreams, format string, a ...any) {
	fmt.Fprintln(s.ColorErr(), iostreams.WarnLine(fmt.Sprintf(format, escapeArgs(a)...)))
}

func notef(s *iostreams.IOStreams, format string, a ...any) {
	fmt.Fprintln(s.ColorErr(), iostreams.NoteLine(fmt.Sprintf(format, escapeArgs(a)...)))
}

// escapeArgs escapes the text among a, for the one-line printers above.
func escapeArgs(a []any) []any {
	out := make([]any, len(a))
	for i, v := range a {
		switch x := v.(type) {
		case string:
			out[i] = safetext.Escape(x)
		case error:
			out[i] = safetext.Escape(x.Error())
		case fmt.Stringer:
			out[i] = safetext.Escape(x.String())
		default:
			out[i] = v
		}
	}
	return out
}

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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
