package cli

import (
	"errors"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/flagvalue"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// The one-line printers and helpers commands share are report's.
var (
	okf       = report.OK
	warnf     = report.Warn
	notef     = report.Note
	writeJSON = report.JSON
	orUnknown = report.OrUnknown
)

// printError is fang's error handler, so every command's failure looks
// the same (report.Error); a failure already explained is not repeated.
func printError(s *iostreams.IOStreams, err error) {
	var ee *exitError
	if !errors.Is(err, importer.ErrInterrupted) && errors.As(err, &ee) && ee.err == errAlreadyReported {
		return
	}
	report.Error(s, err, flagvalue.IsParseError(err))
}
