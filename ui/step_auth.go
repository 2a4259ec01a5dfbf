package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/importspec"
)

// authStep gets the user's explicit authorisation, which the API requires
// (Auth=true), after saying what the image must be like to import well.
type authStep struct {
	st      *wizardState
	form    *embeddedForm
	yes     bool
	refused bool
}

func newAuthStep(st *wizardState) *authStep { return &authStep{st: st} }

// imageRequirements are the UHost import rules (docs/API.md) that apply to the
// chosen OS type, one line each.
func imageRequirements(osType string) []string {
	out := []string{"A system-disk image with an MBR partition table (not GPT)."}
	switch osType {
	case "Windows":
		out = append(out, "Windows Server with an NTFS system disk.")
	case importspec.OsTypeOther:
		out = append(out, "OS type Other gets no set-up (password, network): it needs DHCP inside.")
	default:
		out = append(out, "Linux with ext3/ext4 file systems and virtio drivers installed.")
	}
	return append(out, "About 50 GB or less; some regions do not accept imports.")
}

// authField is the confirmation, for both modes.
func authField(yes *bool) huh.Field {
	return huh.NewConfirm().Key("auth").Title("Do you authorise this import?").
		Description(describe("auth")).Affirmative("Yes, I authorise it").Negative("No").Value(yes)
}

func (s *authStep) enter() tea.Cmd {
	s.yes = s.st.authorised
	f := authField(&s.yes)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 6, f, huh.NewGroup(f))
	return cmd
}

func (s *authStep) update(msg tea.Msg) (nav, tea.Cmd) {
	done, back, cmd := s.form.update(msg)
	switch {
	case back:
		return backward, nil
	case done && s.yes:
		s.st.authorised, s.refused = true, false
		return forward, nil
	case done:
		s.st.authorised, s.refused = false, true
		return stay, s.enter()
	}
	return stay, cmd
}

func (s *authStep) view() string {
	var req []string
	for _, r := range imageRequirements(s.st.spec.OsType) {
		req = append(req, "  • "+wrapTo(r, s.st.width-4))
	}
	refused := ""
	if s.refused {
		refused = errLine("Without your authorisation the import cannot go on. Esc goes back; Ctrl+C quits.")
	}
	top := labelStyle.Render("The image must be:")
	if note := checkNote(s.st); note != "" {
		top = lines(note, blankLine, top)
	}
	return lines(top, lines(req...), blankLine, s.form.View(), refused)
}

// keys are written out: huh's own help names the long button labels.
func (s *authStep) keys() []key.Binding { return []key.Binding{keyToggle, keyYesNo, keyNext, keyBack} }

func (s *authStep) currentForm() *embeddedForm { return s.form }
