package cli

import (
	"context"
	"errors"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/ufile"
	"github.com/uimport/uimport/upload"
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

// usageError marks bad or missing input; hint says how to supply it.
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Hint() string  { return e.hint }

func usageErrorf(hint, msg string) error { return &usageError{msg: msg, hint: hint} }

// exitError carries an explicit exit code with an error already explained.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// errInterrupted is returned when the user pressed Ctrl+C.
var errInterrupted = errors.New("interrupted")

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var (
		ee *exitError
		ue *usageError
		ae *apiclient.APIError
		te *apiclient.TransportError
		he *apiclient.HTTPError
		re *apiclient.ResponseError
	)
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, upload.ErrIntegrity):
		// First: a bad object must never pass for an interruption or a
		// network failure, whatever else the error chain holds.
		return ExitIntegrity
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &te):
		if te.Kind == apiclient.TransportCanceled {
			return ExitInterrupted
		}
		return ExitNetwork
	case errors.As(err, &ue), errors.Is(err, keystore.ErrNoCredentials):
		return ExitUsage
	case errors.As(err, &ae):
		return ExitAPIRefused
	case errors.As(err, &he), errors.As(err, &re):
		return ExitNetwork
	case isFlagError(err):
		return ExitUsage
	}
	return uploadExitCode(err)
}

// uploadExitCode maps UFile and upload errors: refused (signature,
// permission, no bucket) is 3 like an API refusal; the network past the
// retry budget is 4 (the upload resumes when run again); another uimport
// busy with the same upload is 1.
func uploadExitCode(err error) int {
	var re *upload.ResumableError
	switch ufile.KindOf(err) {
	case ufile.KindAuth, ufile.KindNoBucket, ufile.KindRefused:
		return ExitAPIRefused
	case ufile.KindTransient, ufile.KindTLS, ufile.KindBadAnswer:
		return ExitNetwork
	case ufile.KindCanceled:
		return ExitInterrupted
	}
	switch {
	case errors.Is(err, upload.ErrBusy):
		return ExitFailure
	case errors.As(err, &re):
		return ExitNetwork
	}
	return ExitFailure
}
