package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// Keys shared by every step. Esc and shift+tab go back everywhere; Ctrl+C
// quits everywhere and never sends anything.
var (
	keyQuit     = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
	keyBack     = key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back"))
	keyEsc      = key.NewBinding(key.WithKeys("esc"))
	keyShiftTab = key.NewBinding(key.WithKeys("shift+tab"))
	keyEnter    = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue"))
	keyPress    = key.NewBinding(key.WithKeys("enter")) // in keyLeft's help
	keyOther    = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enter other keys"))
	keyListSkip = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use the documented regions"))
	keyReveal   = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reveal key"))
	keyCurl     = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "curl"))
	keyLeft     = key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→/enter", "buttons"))
	keyToggle   = key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "choose"))
	keyYesNo    = key.NewBinding(key.WithKeys("y", "n"), key.WithHelp("y/n", "answer"))
	keyNext     = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next"))
	keyRight    = key.NewBinding(key.WithKeys("right", "l", "tab"))
	keyScroll   = key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown", "k", "j"), key.WithHelp("↑/↓", "scroll"))
	keyWait     = key.NewBinding(key.WithKeys("enter", "w"), key.WithHelp("enter", "wait for the build"))
	keyFinish   = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "finish"))
	keyDetach   = key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "stop waiting"))
	keyDone     = key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "finish"))
	keyEdit     = key.NewBinding(key.WithKeys("esc", "shift+tab", "e"), key.WithHelp("esc", "back to edit"))
	keyQuitErr  = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "exit"))
	// While the object is checked, and when the check asks what to do, Esc
	// returns to the URL field rather than the previous step: the URL is
	// what the user most likely wants to change.
	keyStopCheck = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop checking"))
	keyEditURL   = key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "edit the URL"))
	// Likewise for a local file: Esc stops the upload (it resumes when the
	// file is confirmed again) and leaves a choice for the file field.
	keyStopUpload = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop the upload"))
	keyEditFile   = key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back to the file"))
	keyTypeBucket = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "type the bucket"))
)

// formKeys is huh's keymap without its own Ctrl+C handling (the wizard
// handles that), and with help texts that fit the wizard's one help line:
// "enter submit" would read as sending the import, and shift+tab is covered
// by the wizard's own "back".
func formKeys() *huh.KeyMap {
	k := huh.NewDefaultKeyMap()
	k.Quit = key.NewBinding(key.WithDisabled())
	for _, b := range []*key.Binding{&k.Input.Submit, &k.Input.Next, &k.Select.Submit, &k.Select.Next,
		&k.Confirm.Submit, &k.Confirm.Next} {
		b.SetHelp("enter", "next")
	}
	for _, b := range []*key.Binding{&k.Input.Prev, &k.Select.Prev, &k.Confirm.Prev, &k.Select.Down} {
		b.SetHelp("", "") // left out of the help line
	}
	k.Select.Up.SetHelp("↑/↓", "choose")
	return k
}

// helpView renders a one-line key summary that fits width.
func helpView(width int, bindings ...key.Binding) string {
	h := help.New()
	// Bold and faint read on any background, unlike fixed greys.
	h.Styles = help.Styles{ShortKey: labelStyle, ShortDesc: faintStyle, ShortSeparator: faintStyle, Ellipsis: faintStyle}
	h.SetWidth(width)
	return h.ShortHelpView(bindings)
}

// isKey reports whether msg is a key press matching b.
func isKey(msg tea.Msg, b key.Binding) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && key.Matches(k, b)
}
