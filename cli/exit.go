package cli

import (
	"context"
	"errors"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/keystore"
)

// Exit codes, documented in README.md.
const (
	ExitOK          = 0
	ExitFailure     = 1 // anything not classified below
	ExitUsage       = 2 // bad or missing input
	ExitAPIRefused  = 3 // RetCode ≠ 0
	ExitNetwork     = 4 // transport, HTTP status, invalid answer, timeout
	ExitUnavailable = 5 // the image ended Unavailable
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
	return ExitFailure
}
