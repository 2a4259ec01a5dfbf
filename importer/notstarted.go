package importer

import "errors"

// NotStartedError is an upload that failed before any byte was sent (the
// bucket could not be placed, or the object's URL is one an import cannot
// take): nothing "did not finish", and nothing is left to resume.
type NotStartedError struct{ Err error }

func (e *NotStartedError) Error() string { return e.Err.Error() }
func (e *NotStartedError) Unwrap() error { return e.Err }

// UploadStarted reports whether a failed upload had begun sending.
func UploadStarted(err error) bool {
	var ns *NotStartedError
	return !errors.As(err, &ns)
}
