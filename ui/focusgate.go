package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// gateTimeout ends a hold when focus never moves (a value that failed
// validation keeps focus, and nothing else will say so).
const gateTimeout = 250 * time.Millisecond

// focusToken says where typed keys go: the step, and the focused field of
// its form (if it has one) with the form's state.
type focusToken struct {
	step  stepID
	form  *huh.Form
	field huh.Field
	state huh.FormState
}

func (w *wizard) focusToken() focusToken {
	t := focusToken{step: w.cur}
	if f := w.focusedForm(); f != nil && f.Form != nil {
		t.form, t.field, t.state = f.Form, f.GetFocusedField(), f.State
	}
	return t
}

// focusGate sits in front of the wizard so that every key goes to the
// field focused when it is handled. huh moves focus with a command
// (NextField), which Bubble Tea runs on another goroutine: keys read in the
// same batch as the Enter would reach the old field first. So after a key
// that may move focus, when focus did not move at once, the following keys
// and pastes are held, in order, until it has moved (or the form ended, or
// the step changed), then replayed; a timer releases them when focus stays.
type focusGate struct {
	inner  tea.Model
	token  func() focusToken
	field  func() huh.Field // the focused field, to know which keys submit
	armed  bool
	before focusToken
	gen    int // which hold a timer belongs to
	held   []tea.Msg
}

type gateTimeoutMsg struct{ gen int }

func newFocusGate(w *wizard) *focusGate {
	return newFocusGateFor(w, w)
}

// newFocusGateFor gates inner, reading focus from w (tests put a probe
// between the two).
func newFocusGateFor(inner tea.Model, w *wizard) *focusGate {
	return &focusGate{inner: inner, token: w.focusToken, field: func() huh.Field { return w.focusToken().field }}
}

func (g *focusGate) Init() tea.Cmd { return g.inner.Init() }

func (g *focusGate) View() tea.View { return g.inner.View() }

func (g *focusGate) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if t, ok := msg.(gateTimeoutMsg); ok {
		if !g.armed || t.gen != g.gen {
			return g, nil
		}
		return g, g.release()
	}
	if isTyped(msg) {
		if g.armed && !isKey(msg, keyQuit) {
			g.held = append(g.held, msg)
			return g, nil
		}
		return g, g.forward(msg)
	}
	_, cmd := g.inner.Update(msg)
	if g.armed && g.token() != g.before {
		return g, tea.Batch(cmd, g.release())
	}
	return g, cmd
}

// forward hands one typed message to the wizard and arms the gate when it
// may have asked for a focus move that has not happened yet.
func (g *focusGate) forward(msg tea.Msg) tea.Cmd {
	before := g.token()
	moves := mayMoveFocus(msg, before.field)
	_, cmd := g.inner.Update(msg)
	if !moves || g.token() != before {
		return cmd
	}
	g.armed, g.before = true, before
	g.gen++
	gen := g.gen
	return tea.Batch(cmd, tea.Tick(gateTimeout, func(time.Time) tea.Msg { return gateTimeoutMsg{gen: gen} }))
}

// release replays held messages in order until one arms the gate again.
func (g *focusGate) release() tea.Cmd {
	g.armed = false
	var cmds []tea.Cmd
	for len(g.held) > 0 && !g.armed {
		m := g.held[0]
		g.held = g.held[1:]
		cmds = append(cmds, g.forward(m))
	}
	if len(g.held) == 0 {
		g.held = nil
	}
	return tea.Batch(cmds...)
}

// isTyped: what the user typed or pasted.
func isTyped(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.KeyReleaseMsg, tea.PasteMsg, tea.PasteStartMsg, tea.PasteEndMsg:
		return true
	}
	return false
}

// mayMoveFocus: the keys with which a field submits, goes on or back (and a
// confirm's y and n, which answer and go on).
func mayMoveFocus(msg tea.Msg, focused huh.Field) bool {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	switch k.String() {
	case "enter", "tab", "shift+tab", "esc":
		return true
	case "y", "Y", "n", "N":
		_, confirm := focused.(*huh.Confirm)
		return confirm
	}
	return false
}
