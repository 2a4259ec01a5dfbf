package report

import (
	"fmt"
	"time"

	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/iostreams"
)

// WaitProgress shows an image being followed to its end on stderr: one
// line redrawn in place on a terminal, timestamped lines elsewhere (on a
// change of state, else every 30 s).
type WaitProgress struct {
	io        *iostreams.IOStreams
	line      *iostreams.LiveLine
	live      bool
	imageID   string
	now       func() time.Time
	last      string
	lastPrint time.Time
}

// NewWaitProgress is the progress of following imageID.
func NewWaitProgress(io *iostreams.IOStreams, imageID string, now func() time.Time) *WaitProgress {
	return &WaitProgress{io: io, line: io.NewLiveLine(), live: io.LiveProgress(), imageID: imageID, now: now}
}

// Update renders one of follow's updates.
func (p *WaitProgress) Update(u follow.Update) {
	state := u.State
	if state == "" {
		state = "not visible yet"
	}
	if u.Err != nil {
		state += " (retrying: " + FirstLine(u.Err.Error()) + ")"
	}
	elapsed := u.Elapsed.Round(time.Second)
	switch {
	case p.live:
		p.line.Draw(fmt.Sprintf("%s %s · %s", iostreams.FaintStyle.Render("⏳"), state, elapsed))
	case state != p.last || p.now().Sub(p.lastPrint) >= 30*time.Second:
		fmt.Fprintf(p.io.ErrOut, "%s %s: %s (%s)\n", p.now().Format("15:04:05"), p.imageID, state, elapsed)
		p.lastPrint = p.now()
	}
	p.last = state
}

// Clear removes the live line, if any.
func (p *WaitProgress) Clear() { p.line.Clear() }
