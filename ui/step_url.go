package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/importspec"
)

// urlStep asks where the image file is, checking it as the user types and
// warning when host region or extension disagree with the choices so far.
type urlStep struct {
	st   *wizardState
	form *embeddedForm
	auto string // the demo URL we filled in, replaced if region or format change
}

func newURLStep(st *wizardState) *urlStep { return &urlStep{st: st} }

// demoURL fits the chosen region and format, so the demo shows no warnings.
func demoURL(s importspec.Spec) string {
	ext := ".qcow2"
	for _, f := range importspec.Formats {
		if f.Name == s.Format {
			ext = f.Extensions[0]
		}
	}
	return "https://uimport-demo." + importspec.UFileLabel(s.Region) + ".ufileos.com/images/disk" + ext
}

// urlField is the URL input, for both modes.
func urlField(st *wizardState) huh.Field {
	s := &st.spec
	return huh.NewInput().Key("url").Title("UFile URL of the image").Description(describe("url")).
		Placeholder("https://mybucket." + importspec.UFileLabel(s.Region) + ".ufileos.com/images/disk.qcow2").
		Value(&s.URL).CharLimit(importspec.MaxURLLen).
		Validate(keepOr(&s.URL, func(v string) error { return importspec.ValidateURL(v, s.AllowHTTP) }))
}

// urlWarnings are the things that look wrong with a valid URL.
func urlWarnings(s importspec.Spec) []string {
	if s.URL == "" || importspec.ValidateURL(s.URL, s.AllowHTTP) != nil {
		return nil
	}
	return importspec.URLWarnings(s.URL, s.Region, s.Format)
}

func (s *urlStep) enter() tea.Cmd {
	if s.st.opts.Demo && (s.st.spec.URL == "" || s.st.spec.URL == s.auto) {
		s.auto = demoURL(s.st.spec)
		s.st.spec.URL = s.auto
	}
	f := urlField(s.st)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 6, f, huh.NewGroup(f))
	s.form.checks = map[string]func(string) error{
		"url": func(v string) error { return importspec.ValidateURL(v, s.st.spec.AllowHTTP) },
	}
	return cmd
}

func (s *urlStep) update(msg tea.Msg) (nav, tea.Cmd) {
	done, back, cmd := s.form.update(msg)
	switch {
	case back:
		return backward, nil
	case done:
		return forward, nil
	}
	return stay, cmd
}

func (s *urlStep) view() string {
	var out []string
	if s.st.opts.Demo && s.st.spec.URL == s.auto {
		out = append(out, noteLine("A demo URL is filled in: press Enter."))
	}
	for _, w := range urlWarnings(s.st.spec) {
		out = append(out, wrapTo(warnLine(w), s.st.width))
	}
	return lines(s.form.View(), s.form.liveProblem(), strings.Join(out, "\n"))
}

func (s *urlStep) keys() []key.Binding { return append(s.form.keys(), keyBack) }

func (s *urlStep) currentForm() *embeddedForm { return s.form }
