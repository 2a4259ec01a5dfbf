// Package report writes uimport's results as text for a terminal or a
// pipe: inspection reports, copy outcomes, history, waits, upload
// progress lines.
//
// Human text goes to stderr in the colours it can show; stdout holds only
// results (an ImageId, a URL, JSON). Nothing here decides an exit code or
// calls the service: the command line does, and hands the outcome here.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/iostreams"
)

// OK, Warn and Note print one line each. Their arguments are escaped
// (safetext): file names, bucket, key, flag values and server text come
// from outside and must not move the cursor or forge a line of our own.
func OK(s *iostreams.IOStreams, format string, a ...any) {
	fmt.Fprintln(s.ColorErr(), iostreams.OKLine(fmt.Sprintf(format, escapeArgs(a)...)))
}

// Warn prints a warning line; see OK.
func Warn(s *iostreams.IOStreams, format string, a ...any) {
	fmt.Fprintln(s.ColorErr(), iostreams.WarnLine(fmt.Sprintf(format, escapeArgs(a)...)))
}

// Note prints a note line; see OK.
func Note(s *iostreams.IOStreams, format string, a ...any) {
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

// JSON writes v indented, with <, > and & left as they are.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// FirstLine is s up to its first newline.
func FirstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// OrUnknown is s, or "unknown" when it is empty.
func OrUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// esc is text from outside (the image, the server), made safe for a terminal.
func esc(s string) string { return safetext.Escape(s) }
