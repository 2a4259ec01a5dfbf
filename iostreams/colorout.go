package iostreams

import "github.com/charmbracelet/colorprofile"

// OutProfile is the colour profile for stdout, decided as ErrProfile is
// for stderr: a report printed as a command's result (`uimport inspect`)
// is coloured on a terminal and plain in a pipe or a file.
func (s *IOStreams) OutProfile() colorprofile.Profile {
	if s.outTTY {
		return colorprofile.Env(s.env)
	}
	return colorprofile.Detect(s.Out, s.env)
}

// ColorOut is stdout in the colours it can show.
func (s *IOStreams) ColorOut() *colorprofile.Writer {
	return &colorprofile.Writer{Forward: s.Out, Profile: s.OutProfile()}
}
