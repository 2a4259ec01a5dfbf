package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/journal"
)

// journal opens the import journal in the OS state directory.
func (a *App) journal() *journal.Journal { return journal.Open(journal.Path(a.StateDir())) }

// submit sends a prepared ImportCustomImage exactly once, recording it in the
// journal first: if the session dies mid-request, `uimport history` still
// says what was sent. No journal, no send.
func (sess *session) submit(ctx context.Context, client *apiclient.Client, req apiclient.PreparedRequest) (string, error) {
	j := sess.app.journal()
	id, err := j.Sent(journal.Submit{
		Profile: sess.settings.Profile, BaseURL: sess.settings.BaseURL, Demo: sess.demo != nil, Params: req.Params,
	})
	if err != nil {
		return "", &usageError{
			msg:  fmt.Sprintf("nothing was sent: the import journal could not be written (%v)", err),
			hint: "Make the state directory writable, or point XDG_STATE_HOME at one that is.",
		}
	}
	imageID, sendErr := client.SendImport(ctx, req)
	if jerr := j.Outcome(id, imageID, sendErr, mayHaveArrived(sendErr)); jerr != nil {
		warnf(sess.app.IO.Err, "could not record the outcome in %s: %v", j.Path(), jerr)
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
