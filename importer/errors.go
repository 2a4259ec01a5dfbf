package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/iostreams"
)

// ErrInterrupted means the user stopped the work (Ctrl+C, a signal). It is
// wrapped with what had happened by then; on its own, nothing was sent.
var ErrInterrupted = errors.New("interrupted")

// InputError is bad or missing input: nothing was sent, and Hint says how
// to give it. The command line exits 2.
type InputError struct {
	Msg      string
	HintText string
}

func (e *InputError) Error() string { return e.Msg }
func (e *InputError) Hint() string  { return e.HintText }

// inputErrorf is an InputError with a hint and a message.
func inputErrorf(hint, msg string) error { return &InputError{Msg: msg, HintText: hint} }

// HintedError adds what to do to an error that does not say it.
type HintedError struct {
	Err      error
	HintText string
}

func (e *HintedError) Error() string { return e.Err.Error() }
func (e *HintedError) Unwrap() error { return e.Err }
func (e *HintedError) Hint() string  { return e.HintText }

// UnavailableError is an image that ended Unavailable: the import failed.
type UnavailableError struct {
	ImageID string
	Msg     string
}

func (e *UnavailableError) Error() string { return e.Msg }

// TimedOutError is a wait that gave up; the import goes on.
type TimedOutError struct{ Err error }

func (e *TimedOutError) Error() string { return e.Err.Error() }
func (e *TimedOutError) Unwrap() error { return e.Err }

// Explain is err as a person reads it, for every face: the message, what
// an API RetCode means, and what to do (any error in the chain with a
// Hint). The command line and both wizard modes render it the same way.
func Explain(err error) iostreams.ErrorReport {
	r := iostreams.ErrorReport{Message: err.Error()}
	var ae *apiclient.APIError
	if errors.As(err, &ae) {
		r.Means = ae.Explanation()
	}
	var h apiclient.Hinter
	if errors.As(err, &h) {
		r.ToDo = h.Hint()
	}
	return r
}

// unavailable is the error for an image that ended Unavailable, with the
// usual causes.
func unavailable(imageID string, checklist []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "image %s ended Unavailable: the import failed. Usual causes:", imageID)
	for _, c := range checklist {
		b.WriteString("\n  - " + c)
	}
	return &UnavailableError{ImageID: imageID, Msg: b.String()}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
