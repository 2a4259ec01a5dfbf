package cli

import (
	"errors"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/flagvalue"
)

// Exit codes, documented in README.md.
const (
	ExitOK          = 0
	ExitFailure     = 1 // anything not classified below
	ExitUsage       = 2 // bad or missing input
	ExitAPIRefused  = 3 // RetCode ≠ 0
	ExitNetwork     = 4 // transport, HTTP status, invalid answer, timeout
	ExitUnavailable = 5 // the image ended Unavailable
	ExitIntegrity   = 6 // an uploaded object differs from the file
	ExitInterrupted = 130
)

// usageErrorf is bad input found by the command line itself.
func usageErrorf(hint, msg string) error { return &importer.InputError{Msg: msg, HintText: hint} }

// exitError carries an explicit exit code with an error already explained.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// errAlreadyReported marks a failure whose message was already printed.
var errAlreadyReported = errors.New("already reported")

// exitCodes are the exit codes of the importer's classes.
var exitCodes = map[importer.Class]int{
	importer.ClassFailed: ExitFailure, importer.ClassInput: ExitUsage, importer.ClassRefused: ExitAPIRefused,
	importer.ClassNetwork: ExitNetwork, importer.ClassUnavailable: ExitUnavailable,
	importer.ClassIntegrity: ExitIntegrity, importer.ClassInterrupted: ExitInterrupted,
}

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	}
	c := importer.Classify(err)
	if c == importer.ClassFailed && flagvalue.IsParseError(err) {
		return ExitUsage
	}
	return exitCodes[c]
}
