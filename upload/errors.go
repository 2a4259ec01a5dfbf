package upload

import (
	"github.com/uimport/uimport/apiclient"

	"errors"
	"fmt"

	"github.com/uimport/uimport/internal/safetext"
)

// ErrIntegrity matches (errors.Is) every *IntegrityError: what UFile
// stored is not the file. The CLI maps it to its own exit code; it is
// never a success.
var ErrIntegrity = errors.New("integrity check failed")

// IntegrityError says which check failed and with what values.
type IntegrityError struct {
	Bucket, Key string
	// What failed: "part 12", "object ETag", "object size".
	What      string
	Want, Got string
	// Finished is true when the object was already assembled (the check
	// after Finish): a bad object now exists at the key.
	Finished bool
}

func (e *IntegrityError) Error() string {
	return safetext.Escape(fmt.Sprintf("integrity check failed for %s/%s: %s is %s, expected %s", e.Bucket, e.Key, e.What, e.Got, e.Want))
}

func (e *IntegrityError) Is(target error) bool { return target == ErrIntegrity }

func (e *IntegrityError) Hint() string {
	if e.Finished {
		return "Do not import this object: it differs from the file. Delete it, then upload again with --restart. " +
			"If it happens again, something between here and UFile alters data (a proxy?), or the local disk has errors."
	}
	return "UFile kept different bytes than were sent for that part, several times. Run the same command again " +
		"(finished parts are kept); if it persists, something between here and UFile alters data (a proxy?)."
}

// ResumableError ends an upload that can go on later: the network gave up
// past the retry budget, or the run was interrupted. The state is kept;
// the same command resumes without re-sending finished parts. Unwrap gives
// the cause (a *ufile.Error, or context.Canceled).
type ResumableError struct {
	Err                   error
	PartsDone, PartsTotal int
	StatePath             string
}

func (e *ResumableError) Error() string {
	return fmt.Sprintf("%v (%d of %d parts are stored; run the same command again to resume)", e.Err, e.PartsDone, e.PartsTotal)
}

func (e *ResumableError) Unwrap() error { return e.Err }

func (e *ResumableError) Hint() string {
	h := "Run the same command again to resume: finished parts are not sent again."
	var hinter apiclient.Hinter
	if errors.As(e.Err, &hinter) && hinter.Hint() != "" {
		h = hinter.Hint() + " " + h
	}
	return h
}

// ErrBusy: another uimport process is uploading to the same bucket and
// key right now (whatever the file).
var ErrBusy = &Error{Msg: "another uimport is already uploading to this bucket and key",
	HintText: "Wait for it to finish, or stop it first, or upload under another --key."}

// ErrInvalidInput matches (errors.Is) an upload refused for its inputs
// (such as an unusable key) before any request: a usage error (exit 2).
var ErrInvalidInput = errors.New("invalid upload input")

// Error is any other failure of the upload, with a hint.
type Error struct {
	Msg      string
	HintText string
	Err      error
}

// Error is escaped: a file name or an OS error may hold any bytes.
func (e *Error) Error() string {
	if e.Err != nil {
		return safetext.Escape(e.Msg + ": " + e.Err.Error())
	}
	return safetext.Escape(e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }
func (e *Error) Hint() string  { return e.HintText }
