package importer

import (
	"context"
	"strings"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/preflight"
)

// CheckObject is the pre-flight check of the UFile object in spec.URL: its
// first bytes (and, for VHD, its last) read with ranged GETs and judged
// against spec.Format. The command line and the wizard judge by the same
// report. It must return when ctx ends.
func (s *Session) CheckObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report {
	if rep, skip := s.uncheckable(spec.URL); skip {
		return rep
	}
	return preflight.Check(ctx, preflight.Options{
		URL: spec.URL, Declared: spec.Format, Keys: &keys,
		HTTPClient: s.cfg.HTTP, UserAgent: s.UserAgent(),
	})
}

// VetObject runs CheckObject and reports what it found to Events.
// Warnings never stop the import (the cloud reads the object from inside;
// this machine may simply not reach it); blockers do.
func (s *Session) VetObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) error {
	_, err := s.vetObject(ctx, spec, keys)
	return err
}

// vetObject is VetObject, also returning the report: whether the object
// could be read from here at all.
func (s *Session) vetObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) (preflight.Report, error) {
	rep := s.CheckObject(ctx, spec, keys)
	if ctx.Err() != nil {
		return rep, ErrInterrupted
	}
	ev := s.cfg.Events
	if rep.Sniff.Format != "" {
		ev.note("Object checked: %s%s", rep.Sniff.Summary(), sizeNote(rep.Size))
	}
	for _, p := range rep.Warnings() {
		ev.warn("%s", withFix(p.Message, p.Fix))
	}
	blocking := rep.Blocking()
	if len(blocking) == 0 {
		return rep, nil
	}
	msgs := make([]string, len(blocking))
	for i, p := range blocking {
		msgs[i] = withFix(p.Message, p.Fix)
	}
	return rep, inputErrorf("Fix the object or the flags; --skip-check sends the import anyway.",
		"the object check found a problem that would make the import fail:\n"+strings.Join(msgs, "\n"))
}

func sizeNote(size int64) string {
	if size < 0 {
		return ""
	}
	return ", " + imageformat.HumanSize(size)
}
