package ui

import (
	"strings"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/iostreams"
)

// The wizard's names for the one style sheet (iostreams), shared with the
// command line; the renderer drops colour for NO_COLOR and dumb terminals.
var (
	titleStyle = iostreams.TitleStyle
	faintStyle = iostreams.FaintStyle
	labelStyle = iostreams.LabelStyle
	okStyle    = iostreams.OKStyle
	errStyle   = iostreams.ErrStyle
	okBox      = iostreams.OKBox
	errBox     = iostreams.ErrBox
	buttonOn   = iostreams.ButtonOn
	buttonOff  = iostreams.ButtonOff
)

// maxFormWidth keeps fields readable on very wide terminals.
const maxFormWidth = 88

// formTheme is huh's ANSI-16 theme, for the same reason as the styles above.
var formTheme = huh.ThemeFunc(huh.ThemeBase16)

// Marks for one-line messages, as the command line writes them.
var (
	okLine    = iostreams.OKLine
	warnLine  = iostreams.WarnLine
	errLine   = iostreams.ErrLine
	noteLine  = iostreams.NoteLine
	demoBadge = iostreams.DemoBadge
)

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
