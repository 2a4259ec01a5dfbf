package importer

import (
	"context"
	"errors"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/ufile"
	"github.com/uimport/uimport/upload"
)

// Class is what kind of failure an error is: the command line's exit
// code, and what any face can say about going on.
type Class int

const (
	ClassFailed      Class = iota // anything not classified below
	ClassInput                    // bad or missing input; nothing was sent
	ClassRefused                  // the API or UFile refused (RetCode ≠ 0, 403, no bucket)
	ClassNetwork                  // transport, HTTP status, invalid answer, timeout
	ClassUnavailable              // the image ended Unavailable
	ClassIntegrity                // an uploaded object differs from the file
	ClassInterrupted              // the user stopped it
)

// Classify sorts err into a Class. Integrity comes first: a bad object
// must never pass for an interruption or a network failure, whatever else
// the error chain holds.
func Classify(err error) Class {
	var (
		ue *InputError
		ai *apiclient.InputError
		nf *NotFoundError
		ua *UnavailableError
		to *TimedOutError
		ae *apiclient.APIError
		te *apiclient.TransportError
		he *apiclient.HTTPError
		re *apiclient.ResponseError
		cu *imagecopy.UnavailableError
		cr *imagecopy.RequestError
		cj *imagecopy.JournalError
	)
	switch {
	case errors.Is(err, upload.ErrIntegrity):
		return ClassIntegrity
	case errors.Is(err, ErrInterrupted), errors.Is(err, context.Canceled):
		return ClassInterrupted
	case errors.As(err, &ua), errors.As(err, &cu):
		return ClassUnavailable
	case errors.As(err, &to):
		return ClassNetwork
	case errors.As(err, &nf):
		return ClassFailed
	case errors.As(err, &te):
		if te.Kind == apiclient.TransportCanceled {
			return ClassInterrupted
		}
		return ClassNetwork
	case errors.As(err, &ue), errors.As(err, &ai), errors.Is(err, keystore.ErrNoCredentials),
		errors.As(err, &cr), errors.As(err, &cj), errors.Is(err, imagecopy.ErrNoTargets):
		return ClassInput
	case errors.As(err, &ae):
		return ClassRefused
	case errors.As(err, &he), errors.As(err, &re):
		return ClassNetwork
	}
	return uploadClass(err)
}

// uploadClass sorts UFile and upload errors: refused (signature,
// permission, no bucket) like an API refusal; the network past the retry
// budget (the upload resumes when run again); another uimport busy with
// the same upload is a plain failure.
func uploadClass(err error) Class {
	var re *upload.ResumableError
	switch ufile.KindOf(err) {
	case ufile.KindAuth, ufile.KindNoBucket, ufile.KindRefused:
		return ClassRefused
	case ufile.KindTransient, ufile.KindTLS, ufile.KindBadAnswer:
		return ClassNetwork
	case ufile.KindCanceled:
		return ClassInterrupted
	}
	if !errors.Is(err, upload.ErrBusy) && errors.As(err, &re) {
		return ClassNetwork
	}
	return ClassFailed
}
