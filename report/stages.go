package report

import "github.com/uimport/uimport/iostreams"

// StageLine shows the inspection's stage as it goes: one line redrawn on
// a terminal, plain lines in accessible mode, nothing in a pipe.
type StageLine struct {
	live  *iostreams.LiveLine
	plain func(string)
}

// NewStageLine picks the form for io.
func NewStageLine(io *iostreams.IOStreams) *StageLine {
	switch {
	case io.LiveProgress():
		return &StageLine{live: io.NewLiveLine()}
	case io.IsStderrTTY():
		return &StageLine{plain: func(s string) { Note(io, "Inspecting: %s", s) }}
	}
	return &StageLine{}
}

// Stage shows s as the current stage.
func (l *StageLine) Stage(s string) {
	switch {
	case l.live != nil:
		l.live.Draw(iostreams.FaintStyle.Render("Inspecting: " + s + "…"))
	case l.plain != nil:
		l.plain(s)
	}
}

// Done removes the live line, if any.
func (l *StageLine) Done() {
	if l.live != nil {
		l.live.Clear()
	}
}
