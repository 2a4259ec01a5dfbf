package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// stepID names the wizard's screens, in order.
type stepID int

const (
	stepCredentials stepID = iota
	stepImage              // offered when the backend inspects (step_image.go)
	stepRegion
	stepDetails
	stepURL
	stepAuth
	stepPreview
	stepSubmit
	stepWait
	stepCount
)

// stepCopy comes after the counted steps: it is offered, not required,
// once the image is Available (step_copy.go).
const stepCopy = stepCount

var stepTitles = [stepCount]string{
	"API keys", "The image", "Region and project", "Image details", "Image file in UFile",
	"Authorisation", "Review the signed request", "Submit", "Wait for the image",
}

// nav is what a step asks of the wizard after handling a message.
type nav int

const (
	stay     nav = iota
	forward      // next step
	backward     // previous step
	finish       // end; what was done stands
	cancel       // end; nothing was submitted
)

// step is one screen. Steps share the wizardState and are re-entered when
// the user comes back, so enter rebuilds anything derived from the draft.
type step interface {
	enter() tea.Cmd
	update(msg tea.Msg) (nav, tea.Cmd)
	view() string
	keys() []key.Binding
}

// chromeHeight is the header and footer around a step's body.
const chromeHeight = 4

// wizard is the top-level model: it routes messages to the current step,
// handles Ctrl+C and resizes, and draws the header and key help.
type wizard struct {
	st    *wizardState
	steps [stepCount + 1]step
	cur   stepID

	width, height int
	interrupted   bool
	cancelled     bool
}

func newWizard(ctx context.Context, opts Options) *wizard {
	st := newState(ctx, opts)
	return &wizard{st: st, width: 80, height: 24, steps: [stepCount + 1]step{
		newCredentialsStep(st), newImageStep(st), newRegionStep(st), newDetailsStep(st), newURLStep(st),
		newAuthStep(st), newPreviewStep(st), newSubmitStep(st), newWaitStep(st), newCopyStep(st),
	}}
}

// Init shows the first screen at once; the keyring is asked in a command.
func (w *wizard) Init() tea.Cmd { return w.steps[w.cur].enter() }

func (w *wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch m := msg.(type) {
	case cursor.BlinkMsg:
		// A blinking cursor redraws twice a second forever; a steady one
		// keeps an idle screen silent (and screen readers quiet).
		return w, nil
	case tea.KeyPressMsg:
		if key.Matches(m, keyQuit) {
			w.interrupted = true
			return w, tea.Quit
		}
	case tea.WindowSizeMsg:
		w.width, w.height = m.Width, m.Height
		w.st.width = max(min(m.Width, maxFormWidth), 20)
		w.st.bodyHeight = max(m.Height-chromeHeight, 4)
		msg = tea.WindowSizeMsg{Width: w.st.width, Height: w.st.bodyHeight}
	}
	w.st.apply(msg)
	n, cmd := w.steps[w.cur].update(msg)
	return w, tea.Batch(cmd, w.navigate(n))
}

func (w *wizard) navigate(n nav) tea.Cmd {
	switch n {
	case forward:
		if w.cur == stepCount-1 && !w.st.copyOffered() || w.cur == stepCopy {
			return tea.Quit
		}
		w.cur++
		if w.skipped(w.cur) {
			w.cur++
		}
	case backward:
		if w.cur == stepCredentials {
			return nil
		}
		w.cur--
		if w.skipped(w.cur) {
			w.cur--
		}
	case finish:
		return tea.Quit
	case cancel:
		w.cancelled = true
		return tea.Quit
	default:
		return nil
	}
	return w.steps[w.cur].enter()
}

func (w *wizard) View() tea.View {
	body := w.steps[w.cur].view()
	if ls := strings.Split(body, "\n"); len(ls) > w.st.bodyHeight {
		body = strings.Join(ls[:w.st.bodyHeight], "\n") // keep the key help on screen
	}
	help := helpView(w.width, append(w.steps[w.cur].keys(), keyQuit)...)
	v := tea.NewView(lines(w.header(), blankLine, body) + "\n\n" + help)
	v.AltScreen = true
	return v
}

// header names the step and, in demo mode, says DEMO on every screen.
func (w *wizard) header() string {
	n, total := w.stepNumber()
	left := titleStyle.Render("uimport") + faintStyle.Render(fmt.Sprintf(" · step %d of %d · ", n, total))
	if w.cur == stepCopy {
		left = titleStyle.Render("uimport") + faintStyle.Render(" · after the import · ") + titleStyle.Render(copyTitle)
	} else {
		left += titleStyle.Render(stepTitles[w.cur])
	}
	right := w.st.demoHeader(w.width - lipgloss.Width(left) - 1)
	if right == "" {
		return truncate(left, w.width)
	}
	left = truncate(left, w.width-lipgloss.Width(right)-1)
	gap := max(w.width-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return left + strings.Repeat(" ", gap) + right
}

// result is the Result for the caller.
func (w *wizard) result() Result {
	r := w.st.result()
	r.Interrupted = w.interrupted
	r.Cancelled = w.cancelled || (!w.interrupted && r.ImageID == "" && r.Err == nil)
	return r
}

// focusedForm is the current step's form, if it shows one; tests use it to
// see which field has focus.
func (w *wizard) focusedForm() *embeddedForm {
	type withForm interface{ currentForm() *embeddedForm }
	if s, ok := w.steps[w.cur].(withForm); ok {
		return s.currentForm()
	}
	return nil
}

// skipped reports whether a step is left out: the image step when the
// backend does not inspect (--skip-check asks for the image in the URL
// step, as before).
func (w *wizard) skipped(id stepID) bool { return id == stepImage && !w.st.asksImageFirst() }

// stepNumber is the current step's number and the count, without the
// steps left out.
func (w *wizard) stepNumber() (int, int) {
	n, total := int(w.cur)+1, int(stepCount)
	if w.skipped(stepImage) {
		total--
		if w.cur > stepImage {
			n--
		}
	}
	return n, total
}
