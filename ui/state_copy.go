package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
)

// copyState is the copies made once the import is Available: what was
// offered and chosen, and every copy as its events and answer tell it.
// Both runners change it only through the wizardState methods below.
type copyState struct {
	chosen  []string
	started time.Time
	running bool
	stop    context.CancelFunc
	rows    []copyRow // one per target, in the order chosen
	err     error     // stopped everything before a copy was sent
	done    bool      // the use case returned: rows hold its results
}

// copyRow is one target's copy as far as it is known.
type copyRow struct {
	res     imagecopy.Result
	elapsed time.Duration
	retry   error // the last poll failed and will be retried
}

// copyOffered reports whether the wizard may offer copies: the backend
// makes them and the import reached Available.
func (st *wizardState) copyOffered() bool {
	return st.be.Features().Copies && st.state == apiclient.StateAvailable && st.imageID != ""
}

// copyTargets are the regions a copy may go to: the regions GetRegion
// listed (the documented ones when it could not be asked), without the
// image's own region and the regions that do not support copies.
func (st *wizardState) copyTargets() []regionChoice {
	choices := st.regions.items
	if len(choices) == 0 {
		for _, id := range importspec.KnownRegions {
			choices = append(choices, regionChoice{ID: id})
		}
	}
	return slices.DeleteFunc(slices.Clone(choices), func(c regionChoice) bool {
		return c.ID == st.spec.Region || !apiclient.CopySupported(c.ID)
	})
}

// copyRequest is the copy of the imported image to regions: the copies
// keep its name, description and tag, in its project, and are followed.
func (st *wizardState) copyRequest(regions []string) importer.CopyRequest {
	return importer.CopyRequest{Region: st.spec.Region, ProjectID: st.spec.ProjectID, ImageID: st.imageID, To: regions,
		Name: st.spec.Name, Description: st.spec.Description, Tag: st.spec.Tag, Wait: true}
}

type copyEventMsg struct{ e imagecopy.Event }

type copyDoneMsg struct {
	results []imagecopy.Result
	err     error
}

// startCopy records the choice and returns the job that copies; onEvent
// gets the use case's progress from its goroutines (calls never overlap).
func (st *wizardState) startCopy(regions []string, onEvent func(imagecopy.Event)) job[copyDoneMsg] {
	ctx, stop := context.WithCancel(st.ctx)
	c := &st.copies
	*c = copyState{chosen: regions, started: st.opts.Now(), running: true, stop: stop}
	for _, r := range regions {
		c.rows = append(c.rows, copyRow{res: imagecopy.Result{Region: r}})
	}
	be, keys, req := st.be, st.keys, st.copyRequest(regions)
	return func() copyDoneMsg {
		results, err := be.Copy(ctx, keys, req, onEvent)
		return copyDoneMsg{results: results, err: err}
	}
}

// copyEvent records one step of a copy.
func (st *wizardState) copyEvent(e imagecopy.Event) {
	row := st.copyRow(e.Region)
	if row == nil {
		return
	}
	switch e.Kind {
	case imagecopy.EventSent:
		row.res.ImageID, row.res.State = e.ImageID, apiclient.StateCopying
	case imagecopy.EventSendFailed:
		row.res.Err = e.Err
	case imagecopy.EventProgress:
		row.elapsed, row.retry = e.Elapsed, e.Err
		if e.State != "" {
			row.res.State = e.State
		}
	case imagecopy.EventDone:
		row.retry = nil
		if e.State != "" {
			row.res.State = e.State
		}
		row.res.Err = e.Err
	}
}

func (st *wizardState) copyRow(region string) *copyRow {
	for i := range st.copies.rows {
		if st.copies.rows[i].res.Region == region {
			return &st.copies.rows[i]
		}
	}
	return nil
}

// copyFinished records the use case's answer.
func (st *wizardState) copyFinished(msg copyDoneMsg) {
	c := &st.copies
	c.running, c.done, c.err = false, true, msg.err
	if msg.err != nil {
		for i := range c.rows {
			c.rows[i].res.Err = msg.err // nothing was sent to any of them
		}
	}
	for _, r := range msg.results {
		if row := st.copyRow(r.Region); row != nil {
			row.res = r
		}
	}
}

// stopCopies stops following the copies (they go on in the cloud).
func (st *wizardState) stopCopies() {
	if st.copies.stop != nil {
		st.copies.stop()
	}
}

// copyResults are the copies for the caller; stopped reports that they
// were not followed to the end.
func (st *wizardState) copyResults() (results []imagecopy.Result, stopped bool) {
	for _, row := range st.copies.rows {
		r := row.res
		switch {
		case !st.copies.running:
		case r.ImageID == "" && r.Err == nil:
			r.Err = errCopyStopped
		case errors.Is(r.Err, context.Canceled):
			r.Err = nil // stopping the wait is not the copy failing
		}
		results = append(results, r)
	}
	return results, st.copies.running
}

// errCopyStopped is a copy the user stopped before the API named it.
var errCopyStopped = errors.New("stopped before the API named the copy; check `uimport history` before copying again")
