package report

import (
	"fmt"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

// Keys is `uimport auth status`: which keys would be used and from where
// (JSON, or the notes then one field a line), never the private key. err
// is ResolveKeys' error: its notes are said, then it is returned.
func Keys(io *iostreams.IOStreams, asJSON bool, st importer.KeyStatus, err error) error {
	if err == nil && asJSON {
		return JSON(io.Out, st)
	}
	for _, n := range st.Notes {
		Note(io, "%s", n)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "Profile:     %s\nSource:      %s\nPublic key:  %s\nPrivate key: set (never shown)\n", st.Profile, st.Source, st.PublicKey)
	return nil
}
