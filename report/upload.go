package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/upload"
)

// How often progress is drawn. The bar is one line redrawn in place at
// most 4 times a second: over SSH every redraw is bytes on the wire, and
// faster than that reads as flicker. Without a terminal, or for screen
// readers, a timestamped line every plainEvery is enough to show life
// without flooding a log.
const (
	BarEvery   = 250 * time.Millisecond
	plainEvery = 5 * time.Second
	minBar     = 12 // narrower than this, a bar says nothing
)

// UploadProgress renders upload.Progress on stderr. The engine calls
// Update from one goroutine at a time, so it needs no lock.
type UploadProgress struct {
	w    io.Writer
	live *iostreams.LiveLine // a bar redrawn in place; nil: plain lines
	bar  progress.Model
	now  func() time.Time
	name string

	lastPlain time.Time
	lastPhase string
}

// NewUploadProgress picks the bar on a terminal, plain lines elsewhere or
// in accessible mode (--accessible, ACCESSIBLE=1, TERM=dumb).
func NewUploadProgress(s *iostreams.IOStreams, now func() time.Time, name string) *UploadProgress {
	p := &UploadProgress{w: s.ErrOut, now: now, name: name,
		bar: iostreams.ProgressBar()}
	if s.LiveProgress() {
		p.live = s.NewLiveLine()
	}
	return p
}

func (p *UploadProgress) Update(pr upload.Progress) {
	if pr.Phase == upload.PhaseDone {
		return // the caller prints the outcome
	}
	if pr.Retry != nil {
		// Said once, as a line of its own (above the bar on a terminal),
		// so a stalled bar has its reason next to it.
		p.Clear()
		fmt.Fprintf(p.w, "%s upload %s: %s\n", p.now().Format("15:04:05"), p.name, pr.Retry)
		return
	}
	if p.live != nil {
		p.draw(pr)
		return
	}
	now := p.now()
	if pr.Phase == p.lastPhase && now.Sub(p.lastPlain) < plainEvery {
		return
	}
	p.lastPhase, p.lastPlain = pr.Phase, now
	fmt.Fprintf(p.w, "%s upload %s: %s\n", now.Format("15:04:05"), p.name, DescribeProgress(pr, false))
}

// draw redraws the one live line: bar, then the figures. A narrow
// terminal gets the compact figures before the bar goes.
func (p *UploadProgress) draw(pr upload.Progress) {
	cols := p.live.Cols()
	line := " " + DescribeProgress(pr, true)
	for _, text := range []string{" " + DescribeProgress(pr, false), line} {
		if w := cols - ansi.StringWidth(text); w >= minBar {
			p.bar.SetWidth(min(40, w))
			line = p.bar.ViewAs(fraction(pr)) + text
			break
		}
	}
	p.live.Draw(line)
}

// Clear removes the live line, if any.
func (p *UploadProgress) Clear() {
	if p.live != nil {
		p.live.Clear()
	}
}

// fraction counts bytes in flight too, so the bar moves within a part.
func fraction(pr upload.Progress) float64 {
	if pr.Total <= 0 {
		return 1
	}
	return min(float64(pr.Done+pr.InFlight)/float64(pr.Total), 1)
}

// DescribeProgress is the figures: percent, bytes, rate, ETA and parts,
// or what UFile is doing after the last byte. compact leaves out the
// byte counts, for narrow terminals.
func DescribeProgress(pr upload.Progress, compact bool) string {
	switch {
	case pr.Phase == upload.PhaseFinishing && compact:
		return "assembling…"
	case pr.Phase == upload.PhaseFinishing:
		return fmt.Sprintf("100%% sent; UFile is assembling %d parts…", pr.PartsTotal)
	case pr.Phase == upload.PhaseVerifying && compact:
		return "verifying…"
	case pr.Phase == upload.PhaseVerifying:
		return "100% sent; verifying the stored object…"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%3.0f%%", fraction(pr)*100)
	switch {
	case !compact && pr.DiskSize > 0 && pr.DataBytes > 0:
		// What is sent is the data (issue 13): say so beside the disk.
		fmt.Fprintf(&b, " %s sent of %s disk (%s of data)", imageformat.HumanSize(pr.Done+pr.InFlight),
			imageformat.HumanSize(pr.DiskSize), imageformat.HumanSize(pr.DataBytes))
	case !compact:
		fmt.Fprintf(&b, " %s / %s", imageformat.HumanSize(pr.Done+pr.InFlight), imageformat.HumanSize(pr.Total))
	}
	if pr.Rate > 0 {
		fmt.Fprintf(&b, " · %s/s", imageformat.HumanSize(int64(pr.Rate)))
	}
	if pr.ETA > 0 {
		fmt.Fprintf(&b, " · ETA %s", pr.ETA.Round(time.Second))
	}
	if pr.PartsTotal > 1 {
		fmt.Fprintf(&b, " · parts %d/%d", pr.PartsDone, pr.PartsTotal)
	}
	return b.String()
}
