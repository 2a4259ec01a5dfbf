package imagecopy

import (
	"errors"
	"fmt"
)

// ErrNoTargets: a copy needs at least one target region.
var ErrNoTargets = errors.New("no target region to copy to")

// RequestError is a request that cannot be carried out as asked; nothing
// was sent.
type RequestError struct{ Msg, Fix string }

func (e *RequestError) Error() string { return e.Msg }
func (e *RequestError) Hint() string  { return e.Fix }

// SourceError says the source cannot be copied yet or at all: it is not
// visible in its region and project (State ""), or not Available. Nothing
// was sent: the API copies only Available images.
type SourceError struct {
	Region, ProjectID, ImageID string
	State                      string
}

func (e *SourceError) Error() string {
	if e.State == "" {
		return fmt.Sprintf("image %s is not a custom image in region %s%s", e.ImageID, e.Region, projectPhrase(e.ProjectID))
	}
	return fmt.Sprintf("image %s is %s: only an Available image can be copied", e.ImageID, e.State)
}

func (e *SourceError) Hint() string {
	if e.State == "" {
		return "Check the ImageId, --region and --project-id: a copy starts from the source's own region and project."
	}
	return fmt.Sprintf("Wait until it is Available (`uimport status %s --wait`), then copy it.", e.ImageID)
}

func projectPhrase(projectID string) string {
	if projectID == "" {
		return " (default project)"
	}
	return ", project " + projectID
}

// UnavailableError is a copy that ended Unavailable in its target region.
// The other copies are not affected.
type UnavailableError struct{ Region, ImageID string }

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the copy %s in %s became Unavailable", e.ImageID, e.Region)
}

func (e *UnavailableError) Hint() string {
	return "Copy to " + e.Region + " again, or contact support with the ImageId; the other copies are kept."
}

// JournalError is a journal that could not record a copy before it was
// sent, so it was not sent: a copy nobody can trace is what the journal
// prevents.
type JournalError struct {
	Region string
	Err    error
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("nothing was sent to copy to %s: the journal could not be written (%v)", e.Region, e.Err)
}

func (e *JournalError) Unwrap() error { return e.Err }
func (e *JournalError) Hint() string {
	return "Make the state directory writable, or point XDG_STATE_HOME at one that is."
}
