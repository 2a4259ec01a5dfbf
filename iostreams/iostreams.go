// Package iostreams decides, once per process, everything uimport needs to
// know about the terminal: which streams are terminals, the colour profile
// (from the environment it is given, never from `tmux info`), the width, and
// whether a person can be asked, wants plain lines for a screen reader, or
// sees a live progress bar. Nothing else in uimport calls IsTerminal; tests
// build streams with Test and say which ones are terminals.
package iostreams

import (
	"io"
	"os"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
)

// IOStreams are the three streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	inTTY, outTTY, errTTY bool
	// env is the environment the colour profile is read from.
	env []string
	// getenv reads one variable of the same environment.
	getenv func(string) string
	// accessible is set by --accessible, on top of ACCESSIBLE and TERM=dumb.
	accessible bool
	// width reports stderr's width in cells; nil means 80.
	width func() int
}

// System is the process's own streams.
func System() *IOStreams {
	s := &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		inTTY: isTerminal(os.Stdin), outTTY: isTerminal(os.Stdout), errTTY: isTerminal(os.Stderr),
		env: os.Environ(), getenv: os.Getenv,
	}
	if s.errTTY {
		s.width = func() int {
			if w, _, err := term.GetSize(os.Stderr.Fd()); err == nil && w > 0 {
				return w
			}
			return 80
		}
	}
	return s
}

// Test returns streams that are not terminals, over the given reader and
// writers, with an empty environment; SetTTY and SetEnv change that.
func Test(in io.Reader, out, errOut io.Writer) *IOStreams {
	return &IOStreams{In: in, Out: out, ErrOut: errOut, getenv: func(string) string { return "" }}
}

// SetTTY says which streams are terminals (tests, and callers that know).
func (s *IOStreams) SetTTY(in, out, errOut bool) { s.inTTY, s.outTTY, s.errTTY = in, out, errOut }

// SetEnv replaces the environment read for colours and accessibility.
func (s *IOStreams) SetEnv(env []string, getenv func(string) string) { s.env, s.getenv = env, getenv }

// SetWidth fixes stderr's width, for tests.
func (s *IOStreams) SetWidth(cols int) { s.width = func() int { return cols } }

// SetAccessible turns on plain, line-by-line output (--accessible).
func (s *IOStreams) SetAccessible(on bool) { s.accessible = s.accessible || on }

// IsStdinTTY, IsStdoutTTY and IsStderrTTY report which streams are terminals.
func (s *IOStreams) IsStdinTTY() bool  { return s.inTTY }
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// CanPrompt reports whether a person can answer questions: input and the
// screen we draw on (stderr, so stdout stays free for results) are both
// terminals.
func (s *IOStreams) CanPrompt() bool { return s.inTTY && s.errTTY }

// Accessible reports whether prompts and progress should be plain lines for
// screen readers and dumb terminals: --accessible, ACCESSIBLE=1 or TERM=dumb.
func (s *IOStreams) Accessible() bool {
	return s.accessible || s.getenv("ACCESSIBLE") != "" || s.getenv("TERM") == "dumb"
}

// LiveProgress reports whether progress may be one line redrawn in place
// on stderr; otherwise it is timestamped lines.
func (s *IOStreams) LiveProgress() bool { return s.errTTY && !s.Accessible() }

// TerminalWidth is stderr's width in cells, 80 when it is not known.
func (s *IOStreams) TerminalWidth() int {
	if s.width == nil {
		return 80
	}
	return s.width()
}

// ErrProfile is the colour profile for stderr: on a terminal it is read
// from the environment, as lipgloss's detection would, but without running
// `tmux info` (~4 ms) inside tmux; elsewhere detection decides, which runs
// no subprocess there (no colour, unless CLICOLOR_FORCE says otherwise).
func (s *IOStreams) ErrProfile() colorprofile.Profile {
	if s.errTTY {
		return colorprofile.Env(s.env)
	}
	return colorprofile.Detect(s.ErrOut, s.env)
}

// TerminalProfile is the colour profile for a full-screen program drawn on
// stderr, and whether stderr is a terminal at all; when it is not, the
// program's own detection is left to decide.
func (s *IOStreams) TerminalProfile() (colorprofile.Profile, bool) {
	if !s.errTTY {
		return colorprofile.NoTTY, false
	}
	return colorprofile.Env(s.env), true
}

// ColorErr is stderr in the colours it can show.
func (s *IOStreams) ColorErr() *colorprofile.Writer {
	return &colorprofile.Writer{Forward: s.ErrOut, Profile: s.ErrProfile()}
}

// SaveInput records the input terminal's state and returns what puts it
// back: a prompt that hides what is typed changes it, and Ctrl+C may come
// before the prompt does. Without a terminal it does nothing.
func (s *IOStreams) SaveInput() (restore func()) {
	f, ok := s.In.(term.File)
	if !ok || !s.inTTY {
		return func() {}
	}
	saved, err := term.GetState(f.Fd())
	if err != nil {
		return func() {}
	}
	return func() { _ = term.Restore(f.Fd(), saved) }
}

func isTerminal(f *os.File) bool { return term.IsTerminal(f.Fd()) }
