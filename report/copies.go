package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

// CopyProgress shows a copy as it goes on stderr: a line per request
// sent, then every copy's state, one line redrawn in place on a terminal,
// timestamped lines elsewhere. imagecopy's events never overlap, so it
// needs no lock.
type CopyProgress struct {
	io      *iostreams.IOStreams
	line    *iostreams.LiveLine // nil: plain lines
	now     func() time.Time
	order   []string          // target regions in the order they were sent
	states  map[string]string // region -> last state seen
	printed map[string]time.Time
	start   time.Time
}

// NewCopyProgress draws on a live line when io allows it.
func NewCopyProgress(io *iostreams.IOStreams, now func() time.Time) *CopyProgress {
	p := &CopyProgress{io: io, now: now, states: map[string]string{}, printed: map[string]time.Time{}}
	if io.LiveProgress() {
		p.line = io.NewLiveLine()
	}
	return p
}

// Event renders one of imagecopy's events.
func (p *CopyProgress) Event(e imagecopy.Event) {
	switch e.Kind {
	case imagecopy.EventSent:
		p.order = append(p.order, e.Region)
		p.states[e.Region] = apiclient.StateCopying
		OK(p.io, "Copy to %s sent: %s (state %s).", e.Region, esc(e.ImageID), apiclient.StateCopying)
	case imagecopy.EventSendFailed:
		fmt.Fprintln(p.io.ColorErr(), iostreams.ErrLine(fmt.Sprintf("Copy to %s not made: %s", e.Region, FirstLine(e.Err.Error()))))
	case imagecopy.EventProgress, imagecopy.EventDone:
		p.progress(e)
	case imagecopy.EventJournalWarning:
		p.Clear()
		Warn(p.io, "could not record the copy in %s in the journal: %v", e.Region, e.Err)
	}
}

func (p *CopyProgress) progress(e imagecopy.Event) {
	state := e.State
	switch {
	case e.Kind == imagecopy.EventDone && e.Err != nil && state == "":
		state = "stopped"
	case state == "":
		state = "not visible yet"
	}
	if e.Err != nil && e.Kind == imagecopy.EventProgress {
		state += " (retrying: " + FirstLine(e.Err.Error()) + ")"
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
		fmt.Fprintf(p.io.ErrOut, "%s copy %s in %s: %s (%s)\n", p.now().Format("15:04:05"), esc(e.ImageID), e.Region, state, e.Elapsed.Round(time.Second))
		p.printed[e.Region] = p.now()
	}
}

// Clear removes the live line, if any.
func (p *CopyProgress) Clear() {
	if p.line != nil {
		p.line.Clear()
	}
}

// ImageRecord is one image of `copy -o json` and `import --copy-to -o
// json`: the source (when imported in the same run), then every copy.
type ImageRecord struct {
	Region    string `json:"region"`
	ProjectID string `json:"project_id,omitempty"`
	ImageID   string `json:"image_id"`
	State     string `json:"state"`
	CopyOf    string `json:"copy_of,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Copies prints the copies' ImageIds on stdout (one per line, after the
// source's when it is given; asJSON: the list of records) and says on
// stderr how each ended. The error is only a failure to write; the exit
// code is the caller's (importer.CopiesFailed).
func Copies(io *iostreams.IOStreams, asJSON bool, source *ImageRecord, sourceID string, results []imagecopy.Result, waited bool) error {
	var records []ImageRecord
	if source != nil {
		records = append(records, *source)
	}
	for _, r := range results {
		rec := ImageRecord{Region: r.Region, ProjectID: r.ProjectID, ImageID: r.ImageID, State: r.State, CopyOf: sourceID}
		if rec.State == "" && r.ImageID != "" {
			rec.State = apiclient.StateCopying // sent, not followed (or stopped early)
		}
		if r.Err != nil {
			rec.Error = FirstLine(r.Err.Error())
		}
		records = append(records, rec)
	}
	if asJSON {
		if err := JSON(io.Out, records); err != nil {
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
			OK(io, "Copy in %s: %s is Available.", r.Region, esc(r.ImageID))
		default:
			pending = true
		}
	}
	if pending && !waited {
		Note(io, "The copies are being made (state Copying). Follow one with: uimport status IMAGE_ID --wait")
	}
	return nil
}
