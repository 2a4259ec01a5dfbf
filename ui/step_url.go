package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/uimport/uimport/importspec"
)

// urlPhase is where the URL step is: the field, the check, or the choice
// a blocker asks for.
type urlPhase int

const (
	urlEditing  urlPhase = iota
	urlChecking          // the object check runs; Esc stops it
	urlBlocked           // the check found a blocker: fix, go on, or edit
	urlSource            // where is the image: in UFile, or on this machine
	urlFile              // the file flow has the screen
)

// urlStep asks where the image file is, checking it as the user types and
// warning when host region or extension disagree with the choices so far.
// On Enter it checks the object itself, when the caller asked for that.
type urlStep struct {
	st     *wizardState
	form   *embeddedForm // the URL field, or the choice when blocked
	auto   string        // the demo URL we filled in, replaced if region or format change
	phase  urlPhase
	spin   spinner.Model
	choice string
	source string    // sourceURL or sourceFile, when the question is asked
	file   *fileFlow // "a file on this machine"
}

func newURLStep(st *wizardState) *urlStep {
	return &urlStep{st: st, source: sourceURL, file: newFileFlow(st)}
}

// urlField is the URL input, for both modes.
func urlField(st *wizardState) huh.Field {
	s := &st.spec
	return huh.NewInput().Key("url").Title("UFile URL of the image").Description(describe("url")).
		Placeholder("https://mybucket." + importspec.UFileLabel(s.Region) + ".ufileos.com/images/disk.qcow2").
		Value(&s.URL).CharLimit(importspec.MaxURLLen).
		Validate(keepOr(&s.URL, func(v string) error { return importspec.ValidateURL(v, s.AllowHTTP) }))
}

// urlWarnings are the things that look wrong with a valid URL. The demo's
// own URL has none worth saying: the simulator is not a UFile host, and is
// not meant to be.
func urlWarnings(st *wizardState) []string {
	s := st.spec
	if s.URL == "" || importspec.ValidateURL(s.URL, s.AllowHTTP) != nil || st.isDemoURL(s.URL) {
		return nil
	}
	return importspec.URLWarnings(s.URL, s.Region, s.Format)
}

func (s *urlStep) enter() tea.Cmd {
	if s.st.imageAnswered() { // the image step asked where the image is
		return s.enterChosen()
	}
	if u := s.st.autoDemoURL(s.auto); u != "" {
		s.auto, s.st.spec.URL = u, u
	}
	if f := s.st.opts.File; s.st.offersFile() && f.Path != "" && s.file.target.path == "" {
		// --file answered the question and named the file.
		s.file.target = uploadTarget{path: f.Path, bucket: f.Bucket, key: f.Key}
		s.source, s.phase = sourceFile, urlFile
		return s.file.enter()
	}
	if s.st.offersFile() && s.st.opts.Spec.URL == "" { // a URL given up front answers the question
		return s.askSource()
	}
	return s.edit()
}

// edit shows the URL field, focused, with the last check's findings under
// it while the URL and format are still the ones checked.
func (s *urlStep) edit() tea.Cmd {
	s.phase = urlEditing
	f := urlField(s.st)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 6, f, huh.NewGroup(f))
	s.form.checks = map[string]func(string) error{
		"url": func(v string) error { return importspec.ValidateURL(v, s.st.spec.AllowHTTP) },
	}
	return cmd
}

func (s *urlStep) update(msg tea.Msg) (nav, tea.Cmd) {
	switch s.phase {
	case urlChecking:
		return s.updateChecking(msg)
	case urlBlocked:
		return s.updateBlocked(msg)
	case urlSource:
		return s.updateSource(msg)
	case urlFile:
		return s.updateFile(msg)
	}
	done, back, cmd := s.form.update(msg)
	switch {
	case back && s.st.offersFile() && !s.st.imageAnswered():
		return stay, s.askSource()
	case back:
		return backward, nil
	case done:
		return s.confirm()
	}
	return stay, cmd
}

// confirm is Enter on a valid URL. The object is checked unless it was
// already checked as it is now and nothing stands in the way: the user has
// seen the warnings, or chose to go on despite a blocker.
func (s *urlStep) confirm() (nav, tea.Cmd) {
	if !s.st.checksObjects() || s.st.uploadedURL() != nil {
		return forward, nil // an object just uploaded was verified against the file
	}
	if c := s.st.checked(); c != nil && c.cleared() {
		return forward, nil
	}
	s.phase, s.spin = urlChecking, newSpinner()
	return stay, tea.Batch(s.spin.Tick, s.st.startCheck().cmd())
}

func (s *urlStep) updateChecking(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case checkDoneMsg:
		if s.st.acceptCheck(msg) {
			return s.afterCheck()
		}
	case spinner.TickMsg:
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return stay, cmd
	case tea.KeyPressMsg:
		if key.Matches(msg, keyStopCheck) {
			s.st.stopCheck()
			return stay, s.edit()
		}
	}
	return stay, nil
}

// afterCheck goes on at once when the check had nothing to say; warnings
// stay on screen until the next Enter; a blocker asks what to do.
func (s *urlStep) afterCheck() (nav, tea.Cmd) {
	c := s.st.checked()
	switch {
	case len(c.blocking()) > 0:
		return stay, s.offerChoices()
	case len(c.report.Problems) > 0:
		return stay, s.edit()
	}
	return forward, nil
}

func (s *urlStep) offerChoices() tea.Cmd {
	s.phase = urlBlocked
	f := blockedField(s.st, &s.choice)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, lipgloss.Height(s.blockedHeader())+1, f, huh.NewGroup(f))
	return cmd
}

func (s *urlStep) updateBlocked(msg tea.Msg) (nav, tea.Cmd) {
	done, back, cmd := s.form.update(msg)
	switch {
	case back: // Esc leaves the choice for the field, not the step
		return stay, s.edit()
	case !done:
		return stay, cmd
	}
	if s.st.answerCheck(s.choice) {
		return stay, s.edit()
	}
	if !s.st.checked().cleared() {
		return stay, s.offerChoices() // another blocker remains
	}
	return forward, nil
}

// blockedHeader is what the choice is about: the URL, the format, and the
// check's findings.
func (s *urlStep) blockedHeader() string {
	w := s.st.width
	return lines(
		wrapTo(labelStyle.Render("UFile URL ")+" "+s.st.spec.URL, w),
		labelStyle.Render("Format    ")+" "+s.st.spec.Format, blankLine,
		reportView(s.st.checked(), w))
}

func (s *urlStep) view() string {
	switch s.phase {
	case urlChecking:
		return lines(wrapTo(labelStyle.Render("UFile URL ")+" "+s.st.spec.URL, s.st.width), blankLine,
			s.spin.View()+" Checking the object… (reading its first bytes only)")
	case urlBlocked:
		return lines(s.blockedHeader(), blankLine, s.form.View())
	case urlSource:
		return s.form.View()
	case urlFile:
		return s.file.view()
	}
	var out []string
	if s.st.demoAuto(s.auto) {
		out = append(out, noteLine("A demo URL is filled in: press Enter."))
	}
	for _, w := range urlWarnings(s.st) {
		out = append(out, wrapTo(warnLine(w), s.st.width))
	}
	if report := reportView(s.st.checked(), s.st.width); report != "" {
		out = append(out, blankLine, report) // set apart: these are about the object, not the URL
	}
	return lines(s.form.View(), s.form.liveProblem(), strings.Join(out, "\n"))
}

func (s *urlStep) keys() []key.Binding {
	switch s.phase {
	case urlChecking:
		return []key.Binding{keyStopCheck}
	case urlBlocked:
		return append(s.form.keys(), keyEditURL)
	case urlFile:
		return s.file.keys()
	}
	return append(s.form.keys(), keyBack)
}

// currentForm is nil while checking: no field takes keys then.
func (s *urlStep) currentForm() *embeddedForm {
	if s.phase == urlFile {
		return s.file.currentForm()
	}
	if s.phase == urlChecking {
		return nil
	}
	return s.form
}
