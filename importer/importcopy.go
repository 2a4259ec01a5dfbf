package importer

import (
	"context"
	"errors"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
)

// ImportCopyRequest is what follows a submitted import with copies
// (`import --copy-to`, `--via`): the import to follow, then the copies to
// make once it is Available (CopyPlan.ImportCopies).
type ImportCopyRequest struct {
	Follow follow.Options
	Copy   CopyRequest
}

// ImportCopyEvents are ImportThenCopy's progress, in this order: Wait at
// every poll of the import, Available once (before the first copy is
// sent), then Copy for every copy event. Any may be nil.
type ImportCopyEvents struct {
	Wait      func(follow.Update)
	Available func()
	Copy      func(imagecopy.Event)
}

// ImportCopyResult is how far ImportThenCopy got: the import's state
// (Making when the wait stopped early, Unavailable, or Available once the
// copies were attempted) and each copy's result.
type ImportCopyResult struct {
	SourceState string
	Copies      []imagecopy.Result
}

// ImportThenCopy follows a submitted import until it is Available (a copy
// needs that), then makes the copies (Copy). An import that ends
// Unavailable is an error (Unavailable), and nothing is copied.
func (s *Session) ImportThenCopy(ctx context.Context, api CopyClient, r ImportCopyRequest, ev ImportCopyEvents) (ImportCopyResult, error) {
	res := ImportCopyResult{SourceState: apiclient.StateMaking}
	img, err := s.Follow(ctx, api, r.Follow, func(u follow.Update) {
		if ev.Wait != nil {
			ev.Wait(u)
		}
	})
	if err == nil {
		err = Unavailable(r.Follow.ImageID, img.State)
	}
	if err != nil {
		if Classify(err) == ClassUnavailable {
			res.SourceState = apiclient.StateUnavailable
		}
		return res, err
	}
	res.SourceState = apiclient.StateAvailable
	if ev.Available != nil {
		ev.Available()
	}
	res.Copies, err = s.Copy(ctx, api, r.Copy, func(e imagecopy.Event) {
		if ev.Copy != nil {
			ev.Copy(e)
		}
	})
	return res, err
}

// CopiesSummary is what ends a run whose copies failed (cerr, from
// CopiesFailed) once each failure was explained: only the summary and the
// hint, so nothing is explained twice.
func CopiesSummary(cerr error) error {
	var ce *CopiesError
	hint := ""
	if errors.As(cerr, &ce) {
		hint = ce.Hint()
	}
	return &HintedError{Err: errors.New(cerr.Error()), HintText: hint}
}
