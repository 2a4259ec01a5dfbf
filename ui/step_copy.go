package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/internal/safetext"
)

// copyTitle names the copy screen; it comes after the numbered steps,
// offered once the image is Available.
const copyTitle = "Copy to other regions"

// copyStep asks which regions to copy the Available image to, sends one
// copy per region (through the backend) and follows every copy in its own
// region, a line each.
type copyStep struct {
	st      *wizardState
	form    *embeddedForm
	ask     *huh.Confirm
	chosen  []string
	confirm bool
	events  chan imagecopy.Event
	spin    spinner.Model
}

func newCopyStep(st *wizardState) *copyStep { return &copyStep{st: st, spin: newSpinner()} }

// copyFields are the choice and its confirmation, for the full screen.
// The confirmation's title is set by the step once the choice is made
// (copyQuestion): a TitleFunc would read the choice off the UI goroutine.
func copyFields(st *wizardState, chosen *[]string, confirm *bool) (*huh.MultiSelect[string], *huh.Confirm) {
	var opts []huh.Option[string]
	for _, c := range st.copyTargets() {
		label := c.ID
		if c.Name != "" {
			label += " · " + c.Name
		}
		opts = append(opts, huh.NewOption(label, c.ID))
	}
	return huh.NewMultiSelect[string]().Key("copyto").Title("Copy to other regions?").
			Description("Space selects; each region gets its own copy (a new image). None selected: no copies.").
			Options(opts...).Value(chosen).Height(min(len(opts)+5, max(st.bodyHeight-8, 6))),
		huh.NewConfirm().Key("copynow").Title(copyQuestion(nil)).
			Description("One CopyCustomImage per region, sent once, never retried.").
			Affirmative("Yes").Negative("No, choose again").Value(confirm)
}

// copyQuestion asks to go on with the regions chosen.
func copyQuestion(chosen []string) string {
	if len(chosen) == 0 {
		return "Finish without copies?"
	}
	return "Copy to " + strings.Join(chosen, ", ") + " now?"
}

func (s *copyStep) enter() tea.Cmd {
	if s.st.copies.running || s.st.copies.done {
		return nil // back from nowhere: the copies are under way or done
	}
	s.chosen, s.confirm = nil, true
	pick, ask := copyFields(s.st, &s.chosen, &s.confirm)
	s.ask = ask
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 4, pick, huh.NewGroup(pick, ask))
	return cmd
}

func (s *copyStep) update(msg tea.Msg) (nav, tea.Cmd) {
	c := &s.st.copies
	switch msg := msg.(type) {
	case copyEventMsg:
		s.st.copyEvent(msg.e)
		return stay, s.listen()
	case copyDoneMsg:
		s.st.copyFinished(msg)
		return stay, nil
	case spinner.TickMsg:
		if !c.running {
			return stay, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return stay, cmd
	}
	switch {
	case c.done && isKey(msg, keyDone):
		return finish, nil
	case c.running && isKey(msg, keyDetach):
		s.st.stopCopies()
		return finish, nil
	case c.running || c.done:
		return stay, nil
	}
	done, back, cmd := s.form.update(msg)
	if !done && s.form.GetFocusedField() == huh.Field(s.ask) {
		s.ask.Title(copyQuestion(s.chosen)) // the choice is made: say it
		s.form.redraw()
	}
	switch {
	case back:
		return backward, nil
	case done && !s.confirm:
		return stay, s.enter()
	case done && len(s.chosen) == 0:
		return finish, nil
	case done:
		// Buffered so the use case never waits on the screen; the copy
		// ends with one Done event per target, far fewer than this.
		s.events = make(chan imagecopy.Event, 256)
		events := s.events
		run := s.st.startCopy(s.chosen, func(e imagecopy.Event) {
			select {
			case events <- e:
			case <-s.st.ctx.Done():
			}
		})
		return stay, tea.Batch(run.cmd(), s.listen(), s.spin.Tick)
	}
	return stay, cmd
}

// listen delivers the next copy event to the step.
func (s *copyStep) listen() tea.Cmd {
	events, ctx := s.events, s.st.ctx
	return func() tea.Msg {
		select {
		case e := <-events:
			return copyEventMsg{e}
		case <-ctx.Done():
			return nil
		}
	}
}

func (s *copyStep) view() string {
	c := &s.st.copies
	head := fmt.Sprintf("%s  %s (%s) is Available", labelStyle.Render("Source"), s.st.imageID, s.st.spec.Region)
	if !c.running && !c.done {
		return lines(head, blankLine, s.form.View())
	}
	w := s.st.width
	if c.err != nil {
		return lines(head, blankLine, errorBox(c.err, w), blankLine, wrapTo("Nothing was copied. Enter finishes.", w))
	}
	rows := []string{head, blankLine}
	for _, row := range c.rows {
		rows = append(rows, s.rowView(row, w))
	}
	switch {
	case c.running:
		rows = append(rows, blankLine, wrapTo("Copies usually take minutes. q stops waiting; the copies go on.", w))
	default:
		rows = append(rows, blankLine, wrapTo(copySummary(c.rows), w))
	}
	return lines(rows...)
}

// rowView is one copy: its region, its ImageId once named, and its state.
func (s *copyStep) rowView(row copyRow, w int) string {
	r := row.res
	id := "(not named yet)"
	if r.ImageID != "" {
		id = safetext.Escape(r.ImageID)
	}
	name := fmt.Sprintf("%-12s %s", r.Region, id)
	var unavailable *imagecopy.UnavailableError
	switch {
	case errors.As(r.Err, &unavailable):
		return errLine(name + " · Unavailable: copy to " + r.Region + " again, or contact support")
	case r.Err != nil:
		return errorBox(fmt.Errorf("%s: %w", r.Region, r.Err), w)
	case r.State == apiclient.StateAvailable:
		return okLine(name + " · Available")
	}
	state := r.State
	if state == "" {
		state = "sending"
	}
	line := fmt.Sprintf("%s %s · %s · %s", s.spin.View(), name, state, round(row.elapsed))
	if row.retry != nil {
		line += " " + faintStyle.Render("(retrying)")
	}
	return truncate(line, w)
}

// copySummary says how the copies ended and that none is removed.
func copySummary(rows []copyRow) string {
	ok := 0
	for _, r := range rows {
		if r.res.Err == nil && r.res.State == apiclient.StateAvailable {
			ok++
		}
	}
	if ok == len(rows) {
		if ok == 1 {
			return "The copy is Available. Enter finishes."
		}
		return fmt.Sprintf("All %d copies are Available. Enter finishes.", ok)
	}
	return fmt.Sprintf("%d of %d copies are Available; the others are kept as they are. Enter finishes.", ok, len(rows))
}

func (s *copyStep) keys() []key.Binding {
	c := &s.st.copies
	switch {
	case c.done:
		return []key.Binding{keyDone}
	case c.running:
		return []key.Binding{keyDetach}
	}
	return append(s.form.keys(), keyBack)
}

func (s *copyStep) currentForm() *embeddedForm {
	if s.st.copies.running || s.st.copies.done {
		return nil
	}
	return s.form
}

// keyCopy, on the wait screen once the image is Available, opens the copy
// screen.
var keyCopy = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy to other regions"))

// copyOffer is the wait screen's question, when copies can be made.
func copyOffer(st *wizardState) string {
	if !st.copyOffered() {
		return ""
	}
	return wrapTo("Copy to other regions? Press c to choose them; Enter finishes.", st.width)
}
