package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/uimport/uimport/apiclient"
)

// Styles for human text on stderr; fprintln drops the colour when the
// writer is not a terminal or NO_COLOR is set.
var (
	okStyle    = lipgloss.NewStyle().Foreground(lipgloss.Green).Bold(true)
	warnStyle  = lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true)
	errStyle   = lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true)
	dimStyle   = lipgloss.NewStyle().Faint(true)
	demoStyle  = lipgloss.NewStyle().Foreground(lipgloss.Black).Background(lipgloss.Yellow).Bold(true).Padding(0, 1)
	labelStyle = lipgloss.NewStyle().Bold(true)
)

func okf(w io.Writer, format string, a ...any) {
	fprintln(w, okStyle.Render("✓")+" "+fmt.Sprintf(format, a...))
}

func warnf(w io.Writer, format string, a ...any) {
	fprintln(w, warnStyle.Render("! warning:")+" "+fmt.Sprintf(format, a...))
}

func notef(w io.Writer, format string, a ...any) {
	fprintln(w, dimStyle.Render("· "+fmt.Sprintf(format, a...)))
}

func demoBanner(w io.Writer) {
	fprintln(w, demoStyle.Render("DEMO")+" "+dimStyle.Render("built-in API simulator: nothing reaches a real cloud"))
}

// fprintln writes one line in the colours the writer can show. On a
// terminal the environment decides, as lipgloss.Fprintln's detection would,
// but without running `tmux info` (~4 ms) for every line inside tmux.
func fprintln(w io.Writer, a ...any) {
	fmt.Fprintln(colorWriter(w), a...)
}

// colorWriter downsamples to the colours w can show, decided from the
// environment on a terminal (no `tmux info`), by detection elsewhere, where
// detection runs no subprocess.
func colorWriter(w io.Writer) *colorprofile.Writer {
	var p colorprofile.Profile
	if f, ok := w.(term.File); ok && term.IsTerminal(f.Fd()) {
		p = colorprofile.Env(os.Environ())
	} else {
		p = colorprofile.Detect(w, os.Environ())
	}
	return &colorprofile.Writer{Forward: w, Profile: p}
}

// hinter is any error that says what to do next.
type hinter interface{ Hint() string }

// printError writes err and, where known, what it means and what to do.
// It is fang's error handler, so every command's failure looks the same.
func printError(w io.Writer, err error) {
	if errors.Is(err, errInterrupted) {
		if err == errInterrupted {
			fprintln(w, warnStyle.Render("Interrupted.")+" Nothing was sent.")
			return
		}
		// Wrapped: the rest says what had happened by then (e.g. the import
		// was in flight), and a wrapped API error says what to check.
		fprintln(w, warnStyle.Render("Interrupted")+indentRest(strings.TrimPrefix(err.Error(), errInterrupted.Error())))
		var h hinter
		if errors.As(err, &h) && h.Hint() != "" {
			fprintln(w, labelStyle.Render("What to do:")+" "+h.Hint())
		}
		return
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.err == errAlreadyReported {
		return
	}
	msg := err.Error()
	fprintln(w, errStyle.Render("Error:")+" "+indentRest(msg))
	var ae *apiclient.APIError
	if errors.As(err, &ae) {
		fprintln(w, labelStyle.Render("What it means:")+" "+ae.Explanation())
	}
	var h hinter
	if errors.As(err, &h) && h.Hint() != "" {
		fprintln(w, labelStyle.Render("What to do:")+" "+h.Hint())
	} else if isFlagError(err) {
		fprintln(w, labelStyle.Render("What to do:")+" run with --help to see the commands and flags.")
	}
}

// errAlreadyReported marks a failure whose message was already printed.
var errAlreadyReported = errors.New("already reported")

func indentRest(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

// isFlagError recognises cobra's usage errors, which are untyped.
func isFlagError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "unknown command", "accepts ", "requires at least", "requires exactly", "bad flag syntax"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
