package ui

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/keystore"
)

type credPhase int

const (
	credLooking credPhase = iota // asking the store; the screen is already up
	credFound                    // keys known: show where from
	credAsking                   // none found: ask for them
	credSaving                   // writing them to the OS keyring
)

// credentialsStep says which keys are in use and from where, or asks for
// them and offers to keep them in the OS keyring.
type credentialsStep struct {
	st       *wizardState
	phase    credPhase
	spin     spinner.Model
	notes    []string // why sources were skipped
	saveNote string   // what became of saving
	form     *embeddedForm
	in       keyInput
}

// keyInput is what the key form fills in.
type keyInput struct {
	Public, Private string
	Save            bool
}

// credentialsMsg is the store's answer, resolved off the UI goroutine
// because a keyring call can take seconds.
type credentialsMsg struct {
	res keystore.Resolved
	err error
}

type keysSavedMsg struct{ err error }

func newCredentialsStep(st *wizardState) *credentialsStep {
	return &credentialsStep{st: st, spin: newSpinner()}
}

func newSpinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(faintStyle))
}

func resolveKeys(ctx context.Context, store CredentialStore) tea.Cmd {
	return func() tea.Msg {
		res, err := store.Resolve(ctx)
		return credentialsMsg{res: res, err: err}
	}
}

func saveKeys(ctx context.Context, store CredentialStore, c keystore.Credentials) tea.Cmd {
	return func() tea.Msg { return keysSavedMsg{err: store.Save(ctx, c)} }
}

func (s *credentialsStep) enter() tea.Cmd {
	if s.st.api != nil {
		s.phase = credFound // back from a later step
		return nil
	}
	s.phase = credLooking
	return tea.Batch(s.spin.Tick, resolveKeys(s.st.ctx, s.st.be.Keys()))
}

func (s *credentialsStep) update(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case credentialsMsg:
		s.notes = msg.res.Notes
		if msg.err != nil {
			return stay, s.ask()
		}
		s.phase = credFound
		return stay, s.st.keysFound(msg.res)
	case keysSavedMsg:
		s.phase, s.saveNote = credFound, saveOutcome(msg.err, s.st.opts.Profile)
		return stay, nil
	case spinner.TickMsg:
		if s.phase == credLooking || s.phase == credSaving {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return stay, cmd
		}
		return stay, nil
	}
	switch s.phase {
	case credFound:
		switch {
		case isKey(msg, keyEnter):
			return forward, nil
		case isKey(msg, keyOther) && s.st.be.SavesKeys():
			return stay, s.ask()
		}
	case credAsking:
		done, back, cmd := s.form.update(msg)
		switch {
		case done:
			return s.typed()
		case back && s.st.api != nil: // changed their mind about other keys
			s.phase = credFound
			return stay, nil
		}
		return stay, cmd
	}
	return stay, nil
}

func (s *credentialsStep) ask() tea.Cmd {
	s.phase, s.saveNote = credAsking, ""
	s.in = keyInput{Save: s.st.be.SavesKeys()}
	fields := keyFields(&s.in, s.st.be.SavesKeys())
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 4+len(s.notes), fields[0], huh.NewGroup(fields...))
	s.form.checks = keyChecks
	return cmd
}

// typed installs the keys from the form, saving them first if asked.
func (s *credentialsStep) typed() (nav, tea.Cmd) {
	load, save, _ := s.st.keysTyped(&s.in) // the form checked the keys
	if save == nil {
		return forward, load
	}
	s.phase = credSaving
	return stay, tea.Batch(load, s.spin.Tick, saveKeys(s.st.ctx, s.st.be.Keys(), *save))
}

func (s *credentialsStep) view() string {
	w := s.st.width
	switch s.phase {
	case credLooking:
		return s.spin.View() + " Looking for API keys: environment, OS keyring, ~/.ucloud…"
	case credSaving:
		return s.spin.View() + " Saving the keys in the OS keyring…"
	case credAsking:
		intro := wrapTo(fmt.Sprintf("No API keys found for profile %q. Copy them from the console: Account → API keys.", s.st.opts.Profile), w)
		return lines(intro, s.notesView(), blankLine, s.form.View(), s.form.liveProblem())
	}
	return lines(wrapTo(s.st.demoKeysLine(), w),
		wrapTo(labelStyle.Render("Keys from:   ")+s.st.keySource, w),
		labelStyle.Render("Public key:  ")+keystore.MaskPublicKey(s.st.keys.PublicKey),
		labelStyle.Render("Private key: ")+"set (never shown)",
		s.notesView(), wrapTo(s.saveNote, w), blankLine,
		wrapTo("Next: choose the region and project. The region list loads in the background.", w))
}

func (s *credentialsStep) notesView() string {
	var out []string
	for _, n := range s.notes {
		out = append(out, wrapTo(noteLine(n), s.st.width))
	}
	return lines(out...)
}

func (s *credentialsStep) keys() []key.Binding {
	switch s.phase {
	case credFound:
		if !s.st.be.SavesKeys() {
			return []key.Binding{keyEnter}
		}
		return []key.Binding{keyEnter, keyOther}
	case credAsking:
		if s.st.api != nil {
			return append(s.form.keys(), keyBack)
		}
		return s.form.keys()
	}
	return nil
}

// keyFields are the key prompt's fields, for the full screen and for
// accessible mode alike. The save question is left out when keys are not
// saved (demo keys).
func keyFields(in *keyInput, saves bool) []huh.Field {
	fields := []huh.Field{
		huh.NewInput().Key("public").Title("Public key").
			Description(describe("public")).
			Value(&in.Public).Validate(keyChecks["public"]),
		huh.NewInput().Key("private").Title("Private key").
			Description(describe("private")).
			EchoMode(huh.EchoModePassword).Value(&in.Private).Validate(keyChecks["private"]),
	}
	if saves {
		fields = append(fields, huh.NewConfirm().Key("save").
			Title("Save them in the OS keyring for next time?").
			Description(describe("save")).
			Affirmative("Save").Negative("This run only").Value(&in.Save))
	}
	return fields
}

// keyChecks reuse keystore's rules, so a pasted space is caught here and
// not as a puzzling signature error later.
var keyChecks = map[string]func(string) error{
	"public": func(v string) error {
		_, err := keystore.Credentials{PublicKey: v, PrivateKey: "x"}.Normalize()
		return err
	},
	"private": func(v string) error {
		_, err := keystore.Credentials{PublicKey: "x", PrivateKey: v}.Normalize()
		return err
	},
}

// saveOutcome is one line on what became of saving the keys.
func saveOutcome(err error, profile string) string {
	var unavailable *keystore.KeyringUnavailableError
	switch {
	case err == nil:
		return okLine(fmt.Sprintf("Saved in the OS keyring as profile %q.", profile))
	case errors.As(err, &unavailable):
		return warnLine(unavailable.Error() + ": the keys are used for this run only.")
	default:
		return warnLine(fmt.Sprintf("Not saved (%v): the keys are used for this run only.", err))
	}
}

func (s *credentialsStep) currentForm() *embeddedForm { return s.form }
