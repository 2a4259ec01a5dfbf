package iostreams

import (
	"strings"

	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/internal/safetext"
)

// The one style sheet, for the command line and the wizard alike. Styles
// use the terminal's own 16 colours, so they read on dark and light
// backgrounds; the writer or renderer drops colour for NO_COLOR, dumb
// terminals and pipes.
var (
	TitleStyle = lipgloss.NewStyle().Bold(true)
	FaintStyle = lipgloss.NewStyle().Faint(true)
	LabelStyle = lipgloss.NewStyle().Bold(true)
	OKStyle    = lipgloss.NewStyle().Foreground(lipgloss.Green).Bold(true)
	WarnStyle  = lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true)
	ErrStyle   = lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true)
	DemoStyle  = lipgloss.NewStyle().Foreground(lipgloss.Black).Background(lipgloss.Yellow).Bold(true)
	BoxStyle   = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	OKBox      = BoxStyle.BorderForeground(lipgloss.Green)
	ErrBox     = BoxStyle.BorderForeground(lipgloss.Red)
	ButtonOn   = lipgloss.NewStyle().Reverse(true).Bold(true).Padding(0, 1)
	ButtonOff  = lipgloss.NewStyle().Padding(0, 1)
)

// ProgressBar is the upload bar, on the command line and in the wizard:
// green blocks, no percentage (the text beside it says that).
func ProgressBar() progress.Model {
	return progress.New(progress.WithColors(lipgloss.Green), progress.WithFillCharacters('█', '░'), progress.WithoutPercentage())
}

// Marks for one-line messages. They are words as well as symbols, so they
// survive NO_COLOR and screen readers. The text often holds something
// from outside (a server's message, a file name), so control characters
// in it are escaped (safetext); line breaks a caller wrapped stay.
func OKLine(s string) string   { return OKStyle.Render("✓") + " " + esc(s) }
func WarnLine(s string) string { return WarnStyle.Render("! warning:") + " " + esc(s) }
func ErrLine(s string) string  { return ErrStyle.Render("✗") + " " + esc(s) }
func NoteLine(s string) string { return FaintStyle.Render("· " + esc(s)) }

var esc = safetext.EscapeMultiline

// DemoBadge marks demo mode: on every wizard screen and in the command
// line's banner.
func DemoBadge() string { return DemoStyle.Render(" DEMO ") }

// ErrorReport is an error as a person reads it: what went wrong, what it
// means (an API RetCode in words) and what to do. The command line and both
// wizard modes render it with ErrorLines.
type ErrorReport struct {
	Message string
	Means   string
	ToDo    string
}

// ErrorLines renders r after mark ("Error:" on the command line, "✗" in a
// box), each part labelled. width > 0 wraps to it; width 0 indents a
// message of several lines under the first; width < 0 leaves it as it is.
func ErrorLines(mark string, r ErrorReport, width int) []string {
	wrap := func(s string, indent int) string {
		if width <= 0 {
			return s
		}
		return ansi.Wrap(s, max(width-indent, 20), " ")
	}
	// Messages quote servers and files: escape all but the line breaks.
	msg := safetext.EscapeMultiline(r.Message)
	r.Means, r.ToDo = safetext.EscapeMultiline(r.Means), safetext.EscapeMultiline(r.ToDo)
	if width == 0 {
		msg = strings.ReplaceAll(msg, "\n", "\n  ")
	}
	out := []string{ErrStyle.Render(mark+" ") + wrap(msg, len([]rune(mark))+1)}
	if r.Means != "" {
		out = append(out, wrap(LabelStyle.Render("What it means: ")+r.Means, 0))
	}
	if r.ToDo != "" {
		out = append(out, wrap(LabelStyle.Render("What to do: ")+r.ToDo, 0))
	}
	return out
}
