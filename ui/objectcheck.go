package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/preflight"
)

// The pre-flight check of the UFile object, shared by the full screen and
// accessible mode: run when the user confirms the URL, so a missing object
// or a format that contradicts the declared one is caught before the
// preview, where there is still a field to fix.

// checkKey is what a verdict is about: the same URL declared as another
// format needs another one.
type checkKey struct{ url, format string }

// checkState is the check's part of the wizardState.
type checkState struct {
	last *objectCheck       // the last finished check
	gen  int                // counts checks started and stopped; older answers are stale
	stop context.CancelFunc // ends the check in flight, if any
}

// objectCheck is a finished check.
type objectCheck struct {
	key    checkKey
	report preflight.Report
	// overridden are the blockers the user chose to import despite, kept
	// so the preview can say so next to the Submit button.
	overridden []preflight.Problem
}

func (c *objectCheck) blocking() []preflight.Problem { return c.report.Blocking() }

// cleared means nothing in the check stops the import: no blockers, or
// the user chose to go on anyway.
func (c *objectCheck) cleared() bool { return len(c.blocking()) == 0 || len(c.overridden) > 0 }

// sniffedFormat is the format the object really is when that contradicts
// the declared one, spelled as the API takes it; "" when there is no such
// contradiction.
func (c *objectCheck) sniffedFormat() string {
	for _, p := range c.report.Problems {
		if p.Code == preflight.CodeFormatMismatch {
			if f, ok := importspec.CanonicalFormat(c.report.Sniff.Format); ok {
				return f
			}
		}
	}
	return ""
}

// checksObjects reports whether the caller asked for the check at all.
func (st *wizardState) checksObjects() bool { return st.be.Features().CheckObjects }

func (st *wizardState) checkKey() checkKey { return checkKey{url: st.spec.URL, format: st.spec.Format} }

// checked is the check of the draft as it is now, or nil: a verdict on
// another URL or format says nothing about this one.
func (st *wizardState) checked() *objectCheck {
	if c := st.check.last; c != nil && c.key == st.checkKey() {
		return c
	}
	return nil
}

// checkDoneMsg carries a check's report; gen and key tie it to the check
// that was asked for.
type checkDoneMsg struct {
	gen    int
	key    checkKey
	report preflight.Report
}

// startCheck checks the draft's object in a command, abandoning any check
// still in flight. The command holds copies: the draft may change while
// it runs.
func (st *wizardState) startCheck() job[checkDoneMsg] {
	st.stopCheck()
	ctx, stop := context.WithCancel(st.ctx)
	st.check.stop = stop
	gen, key, spec, keys, run := st.check.gen, st.checkKey(), st.spec, st.keys, st.be.CheckObject
	return func() checkDoneMsg {
		defer stop()
		return checkDoneMsg{gen: gen, key: key, report: run(ctx, spec, keys)}
	}
}

// stopCheck abandons the check in flight: its request is cancelled and
// its answer, should one still come, is stale.
func (st *wizardState) stopCheck() {
	if st.check.stop != nil {
		st.check.stop()
		st.check.stop = nil
	}
	st.check.gen++
}

// acceptCheck records msg if it answers the latest check of the draft as
// it is now, and reports whether it did.
func (st *wizardState) acceptCheck(msg checkDoneMsg) bool {
	if msg.gen != st.check.gen || msg.key != st.checkKey() {
		return false
	}
	st.check.stop = nil
	st.check.last = &objectCheck{key: msg.key, report: msg.report}
	return true
}

// useSniffedFormat is the fix for a format mismatch: declare what the
// object is. The rest of the report still holds for the new format.
func (st *wizardState) useSniffedFormat() {
	c := st.check.last
	st.spec.Format = c.sniffedFormat()
	var kept []preflight.Problem
	for _, p := range c.report.Problems {
		if p.Code != preflight.CodeFormatMismatch {
			kept = append(kept, p)
		}
	}
	c.report.Problems, c.key = kept, st.checkKey()
}

// answerCheck carries out the choice offered for a blocker (blockedField)
// and reports whether the user wants to edit the URL instead.
func (st *wizardState) answerCheck(choice string) (edit bool) {
	switch choice {
	case choiceFormat:
		st.useSniffedFormat()
	case choiceContinue:
		st.overrideCheck()
	default:
		return true
	}
	return false
}

// overrideCheck records that the user goes on despite the blockers.
func (st *wizardState) overrideCheck() {
	c := st.check.last
	c.overridden = c.blocking()
}

// The choices offered when the check found a blocker.
const (
	choiceFormat   = "format"
	choiceContinue = "continue"
	choiceEdit     = "edit"
)

// blockedField asks what to do about a blocker, for both modes. For a
// format mismatch the fix is one choice away; for anything else only the
// URL can be changed here, so editing it comes first.
func blockedField(st *wizardState, choice *string) huh.Field {
	opts := []huh.Option[string]{huh.NewOption("Edit the URL", choiceEdit), huh.NewOption("Continue anyway", choiceContinue)}
	if f := st.check.last.sniffedFormat(); f != "" {
		opts = []huh.Option[string]{
			huh.NewOption(fmt.Sprintf("Set the format to %s (recommended)", f), choiceFormat),
			huh.NewOption("Continue anyway as "+st.spec.Format, choiceContinue),
			huh.NewOption("Edit the URL", choiceEdit),
		}
	}
	*choice = opts[0].Value
	return huh.NewSelect[string]().Key("blocked").Title("The import would fail as it is. What now?").
		Options(opts...).Value(choice)
}

// checkedSummary is e.g. "Object checked: qcow2 (qcow2 v3), 256 KiB", or ""
// when no bytes were read.
func checkedSummary(c *objectCheck) string {
	if c == nil || c.report.Sniff.Format == "" {
		return ""
	}
	s := "Object checked: " + c.report.Sniff.Summary()
	if c.report.Size >= 0 {
		s += ", " + imageformat.HumanSize(c.report.Size)
	}
	return s
}

// problemText is a problem and its fix on one line. A mismatch's fix names
// command-line flags; in the wizard the choices under it are the fix.
func problemText(p preflight.Problem) string {
	if p.Fix == "" || p.Code == preflight.CodeFormatMismatch {
		return p.Message
	}
	return p.Message + " — " + p.Fix
}

// reportView is a finished check in full, for the URL step: the summary,
// then blockers and warnings, each with its fix.
func reportView(c *objectCheck, width int) string {
	if c == nil {
		return ""
	}
	var out []string
	if s := checkedSummary(c); s != "" && len(c.report.Problems) == 0 {
		out = append(out, okLine(s))
	} else if s != "" {
		out = append(out, labelStyle.Render(s))
	}
	for _, p := range c.blocking() {
		msg := problemText(p)
		if len(c.overridden) > 0 {
			msg += " (you chose to continue anyway)"
		}
		out = append(out, errLine(msg))
	}
	for _, p := range c.report.Warnings() {
		out = append(out, warnLine(problemText(p)))
	}
	for i := range out {
		out[i] = wrapTo(out[i], width)
	}
	return strings.Join(out, "\n")
}

// checkNote is what the later steps say about the check: the summary,
// and a warning for each blocker the user overrode.
func checkNote(st *wizardState) string {
	out := imageNoteLines(st)
	for i, l := range uploadedNote(st.uploadedURL()) {
		out = append(out, map[bool]string{true: okLine(l), false: noteLine(l)}[i == 0])
	}
	c := st.checked()
	if c == nil {
		return strings.Join(wrapAll(out, st.width), "\n")
	}
	if s := checkedSummary(c); s != "" && len(c.blocking()) == 0 {
		out = append(out, okLine(s))
	} else if s != "" {
		out = append(out, noteLine(s))
	}
	for _, p := range c.overridden {
		out = append(out, warnLine("continuing despite the object check: "+p.Message))
	}
	return strings.Join(wrapAll(out, st.width), "\n")
}

func wrapAll(out []string, width int) []string {
	for i := range out {
		out[i] = wrapTo(out[i], width)
	}
	return out
}
