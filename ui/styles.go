package ui

import (
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Styles use the terminal's own 16 colours, so they read on dark and light
// backgrounds alike; the renderer drops colour for NO_COLOR and dumb terminals.
var (
	titleStyle = lipgloss.NewStyle().Bold(true)
	faintStyle = lipgloss.NewStyle().Faint(true)
	labelStyle = lipgloss.NewStyle().Bold(true)
	okStyle    = lipgloss.NewStyle().Foreground(lipgloss.Green).Bold(true)
	warnStyle  = lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true)
	errStyle   = lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true)
	demoStyle  = lipgloss.NewStyle().Foreground(lipgloss.Black).Background(lipgloss.Yellow).Bold(true)
	boxStyle   = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	okBox      = boxStyle.BorderForeground(lipgloss.Green)
	errBox     = boxStyle.BorderForeground(lipgloss.Red)
	buttonOn   = lipgloss.NewStyle().Reverse(true).Bold(true).Padding(0, 1)
	buttonOff  = lipgloss.NewStyle().Padding(0, 1)
)

// maxFormWidth keeps fields readable on very wide terminals.
const maxFormWidth = 88

// formTheme is huh's ANSI-16 theme, for the same reason as the styles above.
var formTheme = huh.ThemeFunc(huh.ThemeBase16)

// Marks for one-line messages. They are words as well as symbols, so they
// survive NO_COLOR and screen readers.
func okLine(s string) string   { return okStyle.Render("✓") + " " + s }
func warnLine(s string) string { return warnStyle.Render("! warning:") + " " + s }
func errLine(s string) string  { return errStyle.Render("✗") + " " + s }
func noteLine(s string) string { return faintStyle.Render("· " + s) }

// demoBadge is shown on every screen in demo mode.
func demoBadge() string { return demoStyle.Render(" DEMO ") }

// wrapTo wraps s to width cells (at least 20), keeping words whole.
func wrapTo(s string, width int) string {
	return ansi.Wrap(s, max(width, 20), " ")
}

// truncate cuts s to width cells with an ellipsis.
func truncate(s string, width int) string {
	return ansi.Truncate(s, max(width, 10), "…")
}

// blankLine is an intended empty line in lines(); plain "" parts are
// optional ones that had nothing to say, and are dropped.
const blankLine = " "

// lines joins non-empty parts with newlines.
func lines(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
