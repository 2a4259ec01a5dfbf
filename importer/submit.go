package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/journal"
)

// Sender sends a prepared import; *apiclient.Client satisfies it.
type Sender interface {
	SendImport(ctx context.Context, req apiclient.PreparedRequest) (string, error)
}

// Submit sends a prepared ImportCustomImage exactly once, recording it in
// the journal first: if the session dies mid-request, `uimport history`
// still says what was sent. No journal, no send. An error while ctx ended
// is wrapped in ErrInterrupted (the import may have been sent).
func (s *Session) Submit(ctx context.Context, api Sender, req apiclient.PreparedRequest) (string, error) {
	j := s.Journal()
	id, err := j.Sent(journal.Submit{
		Profile: s.settings.Profile, BaseURL: s.settings.BaseURL, Demo: s.journalDemo(), Params: req.Params,
	})
	if err != nil {
		return "", &InputError{
			Msg:      fmt.Sprintf("nothing was sent: the import journal could not be written (%v)", err),
			HintText: "Make the state directory writable, or point XDG_STATE_HOME at one that is.",
		}
	}
	imageID, sendErr := api.SendImport(ctx, req)
	if jerr := j.Outcome(id, imageID, sendErr, mayHaveArrived(sendErr)); jerr != nil {
		s.cfg.Events.warn("could not record the outcome in %s: %v", j.Path(), jerr)
	}
	return imageID, sendErr
}

// mayHaveArrived reports whether an import that failed may still have been
// carried out: a transport error after the request left, a gateway error or
// an answer we could not read.
func mayHaveArrived(err error) bool {
	var (
		te *apiclient.TransportError
		he *apiclient.HTTPError
		re *apiclient.ResponseError
		ae *apiclient.APIError
	)
	switch {
	case errors.As(err, &te):
		return te.MayHaveBeenSent
	case errors.As(err, &he):
		return he.StatusCode >= 500
	case errors.As(err, &re):
		return true
	case errors.As(err, &ae):
		return ae.RetCode == 110 // a gateway timeout may hide a completed import
	}
	return false
}

// wrapInterrupted is ErrInterrupted with what had happened by then.
func wrapInterrupted(what string) error { return fmt.Errorf("%w: %s", ErrInterrupted, what) }
