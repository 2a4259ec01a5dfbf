package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

type submitPhase int

const (
	submitSending submitPhase = iota
	submitOK
	submitFailed
)

// submitStep sends the import once and shows the ImageId or what went
// wrong. Keys pressed while sending are ignored, so a double Enter on
// Submit cannot send twice; nothing is re-sent without a new Submit.
type submitStep struct {
	st    *wizardState
	spin  spinner.Model
	phase submitPhase
}

func newSubmitStep(st *wizardState) *submitStep { return &submitStep{st: st, spin: newSpinner()} }

func (s *submitStep) enter() tea.Cmd {
	switch {
	case s.st.imageID != "":
		s.phase = submitOK
		return nil
	case !s.st.armed: // only the preview's Submit arms a send
		s.phase = submitFailed
		return nil
	}
	s.phase = submitSending
	return tea.Batch(s.spin.Tick, s.st.submit().cmd())
}

func (s *submitStep) update(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case submitDoneMsg:
		s.st.submitted(msg)
		s.phase = submitOK
		if msg.err != nil {
			s.phase = submitFailed
		}
		return stay, nil
	case spinner.TickMsg:
		if s.phase != submitSending {
			return stay, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return stay, cmd
	}
	switch s.phase {
	case submitOK:
		switch {
		case isKey(msg, keyWait):
			return forward, nil
		case isKey(msg, keyFinish):
			return finish, nil
		}
	case submitFailed:
		switch {
		case isKey(msg, keyEdit):
			return backward, nil
		case isKey(msg, keyQuitErr):
			return finish, nil
		}
	}
	return stay, nil
}

func (s *submitStep) view() string {
	w := s.st.width
	switch s.phase {
	case submitSending:
		return s.spin.View() + " Sending ImportCustomImage… (once; never retried automatically)"
	case submitOK:
		box := okBox.Width(min(w, 60)).Render(lines(
			okStyle.Render("✓ Import submitted"),
			labelStyle.Render("ImageId  ")+s.st.imageID,
			fmt.Sprintf("%s in %s · state %s", s.st.spec.Name, s.st.spec.Region, apiclient.StateMaking)))
		return lines(box, wrapTo("The image is now built from the file, which takes minutes. Wait here to see it become Available, or finish: it keeps building either way.", w))
	}
	return lines(errorBox(s.st.submitErr, w),
		wrapTo("Nothing is sent again unless you press Submit again.", w))
}

// errorBox explains a failed submit: the error, what its RetCode means,
// and what to do.
func errorBox(err error, width int) string {
	if err == nil {
		return errLine("Nothing was submitted.")
	}
	return errBox.Width(width).Render(lines(iostreams.ErrorLines("✗", importer.Explain(err), width-4)...))
}

func (s *submitStep) keys() []key.Binding {
	switch s.phase {
	case submitOK:
		return []key.Binding{keyWait, keyFinish}
	case submitFailed:
		return []key.Binding{keyEdit, keyQuitErr}
	}
	return nil
}
