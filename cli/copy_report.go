package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/iostreams"
)

// copyWithProgress runs the copy use case and shows it on stderr: a line
// per request sent, then every copy's state, one line redrawn in place on
// a terminal, timestamped lines elsewhere.
func copyWithProgress(ctx context.Context, io *iostreams.IOStreams, sess *importer.Session, api importer.CopyClient,
	req importer.CopyRequest, now func() time.Time) ([]imagecopy.Result, error) {
	p := &copyProgress{io: io, now: now, states: map[string]string{}, printed: map[string]time.Time{}}
	if io.LiveProgress() {
		p.line = io.NewLiveLine()
	}
	if req.Wait {
		notef(io, "Copying %s from %s to %s; following every copy (Ctrl+C stops waiting, not the copies).", req.ImageID, req.Region, strings.Join(req.To, ", "))
	}
	results, err := sess.Copy(ctx, api, req, p.event)
	p.clear()
	return results, err
}

// copyProgress renders imagecopy's events; they never overlap.
type copyProgress struct {
	io      *iostreams.IOStreams
	line    *iostreams.LiveLine // nil: plain lines
	now     func() time.Time
	order   []string          // target regions in the order they were sent
	states  map[string]string // region -> last state seen
	printed map[string]time.Time
	start   time.Time
}

func (p *copyProgress) event(e imagecopy.Event) {
	switch e.Kind {
	case imagecopy.EventSent:
		p.order = append(p.order, e.Region)
		p.states[e.Region] = apiclient.StateCopying
		okf(p.io, "Copy to %s sent: %s (state %s).", e.Region, safetext.Escape(e.ImageID), apiclient.StateCopying)
	case imagecopy.EventSendFailed:
		fmt.Fprintln(p.io.ColorErr(), iostreams.ErrLine(fmt.Sprintf("Copy to %s not made: %s", e.Region, firstLine(e.Err.Error()))))
	case imagecopy.EventProgress, imagecopy.EventDone:
		p.progress(e)
	case imagecopy.EventJournalWarning:
		p.clear()
		warnf(p.io, "could not record the copy in %s in the journal: %v", e.Region, e.Err)
	}
}

func (p *copyProgress) progress(e imagecopy.Event) {
	state := e.State
	switch {
	case e.Kind == imagecopy.EventDone && e.Err != nil && state == "":
		state = "stopped"
	case state == "":
		state = "not visible yet"
	}
	if e.Err != nil && e.Kind == imagecopy.EventProgress {
		state += " (retrying: " + firstLine(e.Err.Error()) + ")"
	}
	changed := p.states[e.Region] != state
	p.states[e.Region] = state
	if p.start.IsZero() {
		p.start = p.now().Add(-e.Elapsed)
	}
	if p.line != nil {
		parts := make([]string, 0, len(p.order))
		for _, r := range p.order {
			parts = append(parts, r+" "+p.states[r])
		}
		p.line.Draw(fmt.Sprintf("%s %s · %s", iostreams.FaintStyle.Render("⏳"), strings.Join(parts, " · "), p.now().Sub(p.start).Round(time.Second)))
		return
	}
	if changed || p.now().Sub(p.printed[e.Region]) >= 30*time.Second {
		fmt.Fprintf(p.io.ErrOut, "%s copy %s in %s: %s (%s)\n", p.now().Format("15:04:05"), safetext.Escape(e.ImageID), e.Region, state, e.Elapsed.Round(time.Second))
		p.printed[e.Region] = p.now()
	}
}

func (p *copyProgress) clear() {
	if p.line != nil {
		p.line.Clear()
	}
}

// imageRecord is one image of `copy -o json` and `import --copy-to -o
// json`: the source (when imported in the same run), then every copy.
type imageRecord struct {
	Region    string `json:"region"`
	ProjectID string `json:"project_id,omitempty"`
	ImageID   string `json:"image_id"`
	State     string `json:"state"`
	CopyOf    string `json:"copy_of,omitempty"`
	Error     string `json:"error,omitempty"`
}

// reportCopies prints the copies' ImageIds on stdout (one per line, after
// the source's when it is given; -o json: the list of records), says on
// stderr how each ended, and picks the exit code: 0 only when every copy
// was made and, if followed, is Available; 5 when one became Unavailable.
func reportCopies(io *iostreams.IOStreams, asJSON bool, source *imageRecord, sourceID string, results []imagecopy.Result, waited bool) error {
	var records []imageRecord
	if source != nil {
		records = append(records, *source)
	}
	for _, r := range results {
		rec := imageRecord{Region: r.Region, ProjectID: r.ProjectID, ImageID: r.ImageID, State: r.State, CopyOf: sourceID}
		if rec.State == "" && r.ImageID != "" {
			rec.State = apiclient.StateCopying // sent, not followed (or stopped early)
		}
		if r.Err != nil {
			rec.Error = firstLine(r.Err.Error())
		}
		records = append(records, rec)
	}
	if asJSON {
		if err := writeJSON(io.Out, records); err != nil {
			return err
		}
	} else {
		for _, rec := range records[len(records)-len(results):] {
			if rec.ImageID != "" {
				fmt.Fprintln(io.Out, rec.ImageID)
			}
		}
	}
	pending := false
	for _, r := range results {
		switch {
		case !r.OK():
			for _, l := range iostreams.ErrorLines("✗ "+r.Region+":", importer.Explain(r.Err), 0) {
				fmt.Fprintln(io.ColorErr(), l)
			}
		case r.State == apiclient.StateAvailable:
			okf(io, "Copy in %s: %s is Available.", r.Region, safetext.Escape(r.ImageID))
		default:
			pending = true
		}
	}
	if pending && !waited {
		notef(io, "The copies are being made (state Copying). Follow one with: uimport status IMAGE_ID --wait")
	}
	cerr := importer.CopiesFailed(results)
	if cerr == nil {
		return nil
	}
	var ce *importer.CopiesError
	hint := ""
	if errors.As(cerr, &ce) {
		hint = ce.Hint()
	}
	// Each failure was explained above; the summary only names them, and
	// the exit code comes from all of them (5 for any Unavailable).
	return &exitError{code: ExitCode(cerr), err: &importer.HintedError{Err: errors.New(cerr.Error()), HintText: hint}}
}
