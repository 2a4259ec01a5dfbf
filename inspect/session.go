package inspect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/uimport/uimport/diskimage"
)

// session is one inspection.
type session struct {
	ctx     context.Context
	opts    Options
	report  *Report
	vols    []*volume
	osid    *osIdentity
	windows bool

	mu         sync.Mutex
	corruptErr *diskimage.CorruptError // the first damage a read met
	skipped    bool
}

func (s *session) add(f Finding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.report.Findings = append(s.report.Findings, f)
}

// uninspectable says what could not be read and why; once the budget is
// spent, the one timeout finding says it for everything.
func (s *session) uninspectable(sev Severity, what, why string) {
	if s.expired() {
		return
	}
	s.add(uninspectableFinding(sev, what, why))
}

func (s *session) stage(name string) {
	if s.opts.Progress != nil {
		s.opts.Progress(name)
	}
}

// expired reports (once, as a finding) that the budget ran out.
func (s *session) expired() bool {
	if s.ctx.Err() == nil {
		return false
	}
	if !s.skipped {
		s.skipped = true
		why := fmt.Sprintf("the inspection ran out of time (%s) and stopped", budgetOf(s.opts))
		if errors.Is(s.ctx.Err(), context.Canceled) {
			why = "the inspection was cancelled"
		}
		s.add(uninspectableFinding(Warn, "the rest of the image", why))
	}
	return true
}

func budgetOf(o Options) time.Duration {
	if o.Budget > 0 {
		return o.Budget
	}
	return DefaultBudget
}

// noteCorrupt keeps the first container damage a read met: a *CorruptError
// from diskimage is the image's fault, not the guest's.
func (s *session) noteCorrupt(err error) {
	var ce *diskimage.CorruptError
	if errors.As(err, &ce) {
		s.mu.Lock()
		if s.corruptErr == nil {
			s.corruptErr = ce
		}
		s.mu.Unlock()
	}
}

// guardedReader stops every read once the budget is spent and remembers
// container damage met on the way.
type guardedReader struct {
	s *session
	r io.ReaderAt
}

func (g *guardedReader) ReadAt(p []byte, off int64) (int, error) {
	if err := g.s.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := g.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) {
		g.s.noteCorrupt(err)
	}
	return n, err
}
