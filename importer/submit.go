package importer

import (
	"context"
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
	if jerr := j.Outcome(id, imageID, sendErr, apiclient.MayHaveArrived(sendErr)); jerr != nil {
		s.cfg.Events.warn("could not record the outcome in %s: %v", j.Path(), jerr)
	}
	return imageID, sendErr
}

// wrapInterrupted is ErrInterrupted with what had happened by then.
func wrapInterrupted(what string) error { return fmt.Errorf("%w: %s", ErrInterrupted, what) }
