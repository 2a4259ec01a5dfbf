package ui

import tea "charm.land/bubbletea/v2"

// The URL step after the image step: where the image is has been
// answered, so it asks only what is left (the file's bucket and key, or a
// look at the URL with the object check).

// useChosenImage puts the image step's choice into the draft (the URL) or
// into t (the file to upload), unless the user has changed it here since,
// and returns the source.
func (st *wizardState) useChosenImage(t *uploadTarget) string {
	if st.image.source == sourceFile {
		if t.path == "" || t.path == st.image.used {
			t.path = st.image.path
			t.bucket, t.key = first(t.bucket, st.opts.File.Bucket), first(t.key, st.opts.File.Key)
		}
		st.image.used = st.image.path
		return sourceFile
	}
	if st.spec.URL == "" || st.spec.URL == st.image.used || st.isDemoURL(st.spec.URL) {
		st.spec.URL = st.image.url
	}
	st.image.used = st.image.url
	return sourceURL
}

func (s *urlStep) enterChosen() tea.Cmd {
	s.source = s.st.useChosenImage(&s.file.target)
	if s.source == sourceFile {
		s.phase = urlFile
		return s.file.enter()
	}
	return s.edit()
}
