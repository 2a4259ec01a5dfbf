package iostreams

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"
)

// LiveLine is one line of progress on stderr, redrawn in place: fitted to
// the terminal's width so it never wraps (a wrapped line cannot be
// redrawn), in the colours stderr can show. Use it only when LiveProgress.
type LiveLine struct {
	s     *IOStreams
	drawn bool
}

// NewLiveLine starts a live line on stderr.
func (s *IOStreams) NewLiveLine() *LiveLine { return &LiveLine{s: s} }

// Cols is how many cells a line may use: the last column would make some
// terminals wrap.
func (l *LiveLine) Cols() int { return l.s.TerminalWidth() - 1 }

// Draw replaces the line with text, cut to Cols with an ellipsis.
func (l *LiveLine) Draw(text string) {
	fmt.Fprint(l.s.ColorErr(), "\r"+ansi.Truncate(text, l.Cols(), "…")+"\x1b[K")
	l.drawn = true
}

// Clear removes the line, so what follows starts on a clean line.
func (l *LiveLine) Clear() {
	if l.drawn {
		fmt.Fprint(l.s.ErrOut, "\r\x1b[K")
		l.drawn = false
	}
}
