package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/keystore"
)

// embeddedForm is a huh form drawn inside a step. reserve is how many body
// lines the step itself uses around the form.
type embeddedForm struct {
	*huh.Form
	first   huh.Field // shift+tab here means Back
	reserve int
	width   int
	checks  map[string]func(string) error
}

// newEmbeddedForm styles a form like the rest of the wizard and sizes it to
// the body. Its own help and Ctrl+C handling are off: the wizard draws one
// help line and owns Ctrl+C.
func newEmbeddedForm(st *wizardState, reserve int, first huh.Field, groups ...*huh.Group) (*embeddedForm, tea.Cmd) {
	f := huh.NewForm(groups...).WithTheme(formTheme).WithKeyMap(formKeys()).
		WithShowHelp(false).WithShowErrors(true)
	ef := &embeddedForm{Form: f, first: first, reserve: reserve}
	cmd := f.Init()
	return ef, tea.Batch(cmd, ef.resize(st.width, st.bodyHeight))
}

// resize passes on the commands too: they carry huh's dynamic descriptions.
func (f *embeddedForm) resize(width, height int) tea.Cmd {
	f.width = width
	_, cmd := f.Form.Update(tea.WindowSizeMsg{Width: width, Height: max(height-f.reserve, 3)})
	return cmd
}

// update forwards msg and reports what the form's state means for the step.
func (f *embeddedForm) update(msg tea.Msg) (completed, back bool, cmd tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		return false, false, f.resize(size.Width, size.Height)
	}
	if f.isBack(msg) {
		return false, true, nil
	}
	_, cmd = f.Form.Update(msg)
	return f.State == huh.StateCompleted, false, cmd
}

// redrawMsg means nothing to any field; passing it makes huh rebuild the
// group's cached view after a field was changed from outside.
type redrawMsg struct{}

func (f *embeddedForm) redraw() { f.Form.Update(redrawMsg{}) }

// isBack: Esc (unless a select is filtering, where Esc ends the filter), or
// shift+tab on the first field, where huh itself has nowhere to go.
func (f *embeddedForm) isBack(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	focused := f.GetFocusedField()
	if key.Matches(k, keyEsc) {
		fl, ok := focused.(interface{ GetFiltering() bool })
		return !ok || !fl.GetFiltering()
	}
	return key.Matches(k, keyShiftTab) && focused == f.first
}

// liveProblem validates the focused text field as the user types. Empty
// values are left to huh's own check on Enter, so a fresh field is not red,
// and nothing is shown while huh already shows an error.
func (f *embeddedForm) liveProblem() string {
	field := f.GetFocusedField()
	check, ok := f.checks[field.GetKey()]
	if !ok || field.Error() != nil {
		return ""
	}
	v, _ := field.GetValue().(string)
	if v == "" {
		return ""
	}
	if err := check(v); err != nil {
		msg := strings.TrimPrefix(err.Error(), keystore.ErrInvalidCredentials.Error()+": ")
		return wrapTo(errLine(msg), f.width)
	}
	return ""
}

// keys are the focused field's own keys, for the wizard's help line.
func (f *embeddedForm) keys() []key.Binding {
	var out []key.Binding
	for _, b := range f.KeyBinds() {
		if b.Enabled() && b.Help().Key != "" {
			out = append(out, b)
		}
	}
	return out
}
