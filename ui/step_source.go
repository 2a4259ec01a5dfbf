package ui

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// The URL step's first question, when the caller can upload: is the image
// already in UFile, or a file on this machine?

// askSource asks where the image is. Buckets are listed only once a file
// is chosen: a URL needs no DescribeBucket call.
func (s *urlStep) askSource() tea.Cmd {
	s.phase = urlSource
	f := sourceField(&s.source)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 2, f, huh.NewGroup(f))
	return cmd
}

func (s *urlStep) updateSource(msg tea.Msg) (nav, tea.Cmd) {
	done, back, cmd := s.form.update(msg)
	switch {
	case back:
		return backward, nil
	case !done:
		return stay, cmd
	case s.source == sourceFile:
		s.phase = urlFile
		return stay, s.file.enter()
	}
	return stay, s.edit()
}

func (s *urlStep) updateFile(msg tea.Msg) (nav, tea.Cmd) {
	n, cmd := s.file.update(msg)
	if n == backward && !s.st.imageAnswered() {
		return stay, s.askSource()
	}
	return n, cmd
}
