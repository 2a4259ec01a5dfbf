package report

import (
	"fmt"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/iostreams"
)

// Curl shows the request the wizard built as a curl command, if it built one.
func Curl(io *iostreams.IOStreams, curl string) {
	if curl == "" {
		return
	}
	Note(io, "The request as a curl command (it holds the signature, never the private key):")
	fmt.Fprintln(io.ErrOut, curl)
}

// WizardImport is the wizard's import on the normal screen, where it stays
// in the scrollback: the ImageId alone on stdout; on stderr what was
// submitted, where the build stands (state) and nextTime, the command
// line that repeats it.
func WizardImport(io *iostreams.IOStreams, imageID, name, region, state, nextTime string) {
	fmt.Fprintln(io.Out, imageID)
	OK(io, "Import submitted: %s (%s) in %s.%s", imageID, name, region, stateNote(state, imageID, region))
	fmt.Fprintln(io.ErrOut, "Next time: "+nextTime)
}

// stateNote says where the build stands when the wizard ended.
func stateNote(state, imageID, region string) string {
	switch state {
	case apiclient.StateAvailable:
		return " It is Available: ready to use."
	case apiclient.StateUnavailable:
		return ""
	}
	return fmt.Sprintf(" It is being built; check with: uimport status %s --region %s", imageID, region)
}
