package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/huh/v2"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/safetext"
)

// The image first: where it is (a file on this machine or a URL), then a
// look inside it (inspect), so OS type, OS name and format are filled in
// from what it holds, and what would fail is shown before anyone
// authorises anything. Shared by the full screen (step_image.go) and
// accessible mode (plain_image.go); the step is offered when the backend
// inspects (not with --skip-check: then the image is asked where it
// always was, in the URL step).

// InspectRequest is what to inspect, and what is declared so far.
type InspectRequest = importer.InspectRequest

// Inspection is what the backend found in an image.
type Inspection = importer.Inspection

// DemoImage is one of the simulator's guest disks, offered in demo mode.
type DemoImage struct {
	Title, Description string
	URL                string
}

// imageState is the image step's part of the wizardState.
type imageState struct {
	source string // sourceURL or sourceFile, once answered
	path   string // the local file
	url    string // the object's URL
	last   *imageInspection
	gen    int                // counts inspections started and stopped
	stop   context.CancelFunc // ends the inspection in flight
	stage  string             // what the inspection in flight is doing
	used   string             // the path or URL last put into the URL step
}

// imageInspection is a finished inspection of the image as chosen.
type imageInspection struct {
	source string // the path or URL inspected
	in     Inspection
	err    error // the image could not be read at all
	// overridden: the user goes on despite blocking findings.
	overridden bool
}

func (ii *imageInspection) blocking() []inspect.Finding {
	if ii == nil || ii.err != nil {
		return nil
	}
	return ii.in.Report.Blocking()
}

// cleared means nothing found stops the import, or the user chose to go on.
func (ii *imageInspection) cleared() bool { return len(ii.blocking()) == 0 || ii.overridden }

// asksImageFirst reports whether the wizard starts with the image.
func (st *wizardState) asksImageFirst() bool { return st.be.Features().Inspects }

// imageAnswered reports whether the image step chose the image, so the
// URL step does not ask where it is again.
func (st *wizardState) imageAnswered() bool { return st.asksImageFirst() && st.image.source != "" }

// imageSource is the path or URL the image step chose.
func (st *wizardState) imageSource() string {
	if st.image.source == sourceFile {
		return st.image.path
	}
	return st.image.url
}

// prefillImage fills the image's fields from the command line's values
// (--file or --url), once.
func (st *wizardState) prefillImage() {
	if st.image.source != "" {
		return
	}
	switch {
	case st.opts.File.Path != "" && st.offersFile():
		st.image.source, st.image.path = sourceFile, st.opts.File.Path
	case st.opts.Spec.URL != "":
		st.image.source, st.image.url = sourceURL, st.opts.Spec.URL
	}
}

// inspected is the inspection of the image as chosen now, or nil.
func (st *wizardState) inspected() *imageInspection {
	if ii := st.image.last; ii != nil && ii.source == st.imageSource() {
		return ii
	}
	return nil
}

// inspectDoneMsg and inspectStageMsg carry an inspection's answer and its
// progress; gen ties them to the inspection asked for.
type inspectDoneMsg struct {
	gen    int
	source string
	in     Inspection
	err    error
}

type inspectStageMsg struct {
	gen   int
	stage string
	more  <-chan string
}

// startInspect inspects the chosen image in a job, abandoning any still
// in flight; stages come on the channel, which closes when it is done.
// The job holds copies: the draft may change while it runs.
func (st *wizardState) startInspect() (job[inspectDoneMsg], <-chan string) {
	st.stopInspect()
	ctx, stop := context.WithCancel(st.ctx)
	st.image.stop, st.image.stage = stop, "opening the image"
	stages := make(chan string, 16)
	req := InspectRequest{Source: st.imageSource(), OsType: st.declared.OsType, OsName: st.declared.OsName,
		Format: st.declared.Format, Region: st.spec.Region, ProjectID: st.spec.ProjectID}
	if st.keys.PublicKey != "" {
		keys := st.keys
		req.Keys = &keys
	}
	gen, be := st.image.gen, st.be
	return func() inspectDoneMsg {
		defer stop()
		defer close(stages)
		in, err := be.Inspect(ctx, req, func(s string) {
			select {
			case stages <- s:
			default: // a slow screen skips a stage rather than hold the inspection up
			}
		})
		return inspectDoneMsg{gen: gen, source: req.Source, in: in, err: err}
	}, stages
}

// nextStage waits for the next stage name; nil when the inspection ended.
func nextStage(gen int, stages <-chan string) job[inspectStageMsg] {
	return func() inspectStageMsg {
		s, ok := <-stages
		if !ok {
			return inspectStageMsg{gen: -1}
		}
		return inspectStageMsg{gen: gen, stage: s, more: stages}
	}
}

// stageSeen records a stage; it reports whether msg belongs to the
// inspection in flight (and the next stage should be waited for).
func (st *wizardState) stageSeen(msg inspectStageMsg) bool {
	if msg.gen != st.image.gen {
		return false
	}
	st.image.stage = msg.stage
	return true
}

// stopInspect abandons the inspection in flight.
func (st *wizardState) stopInspect() {
	if st.image.stop != nil {
		st.image.stop()
		st.image.stop = nil
	}
	st.image.gen++
}

// acceptInspect records msg if it answers the latest inspection of the
// image as chosen now, fills in what the image says, and reports whether
// it did.
func (st *wizardState) acceptInspect(msg inspectDoneMsg) bool {
	if msg.gen != st.image.gen || msg.source != st.imageSource() {
		return false
	}
	st.image.stop = nil
	if errors.Is(msg.err, importer.ErrInterrupted) {
		return false
	}
	st.image.last = &imageInspection{source: msg.source, in: msg.in, err: msg.err}
	st.fillFromImage()
	return true
}

// fillFromImage takes OS type, OS name and format from the image where
// the command line did not give them (a remembered default gives way).
func (st *wizardState) fillFromImage() {
	ii := st.inspected()
	if ii == nil || ii.err != nil {
		return
	}
	r := ii.in.Report
	if sg := r.Suggested; sg != nil && st.declared.OsType == "" {
		if t, ok := importspec.CanonicalOsType(sg.OsType); ok {
			st.spec.OsType = t
			if st.declared.OsName == "" {
				st.spec.OsName = sg.OsName
			}
		}
	}
	if f, ok := importspec.CanonicalFormat(r.Format); ok && st.declared.Format == "" {
		st.spec.Format = f
	}
}

// useDetectedOS is the fix for an os-mismatch: declare what the image is.
func (st *wizardState) useDetectedOS() {
	ii := st.inspected()
	sg := ii.in.Report.Suggested
	if t, ok := importspec.CanonicalOsType(sg.OsType); ok {
		st.spec.OsType, st.declared.OsType = t, t
	}
	st.spec.OsName, st.declared.OsName = sg.OsName, sg.OsName
	var kept []inspect.Finding
	for _, f := range ii.in.Report.Findings {
		if f.ID != inspect.IDOSMismatch && f.ID != inspect.IDOSName {
			kept = append(kept, f)
		}
	}
	ii.in.Report.Findings = kept
}

// The choices after an inspection.
const (
	choiceImageOK       = "ok"
	choiceImageOS       = "os"
	choiceImageContinue = "continue"
	choiceImageChange   = "change"
)

// imageChoiceField asks what to do after the inspection, for both modes:
// go on when nothing blocks; else take the detected OS (a mismatch), go
// on anyway, or choose another image.
func imageChoiceField(st *wizardState, choice *string) huh.Field {
	ii := st.inspected()
	var opts []huh.Option[string]
	switch {
	case ii.err != nil:
		opts = []huh.Option[string]{huh.NewOption("Choose another image", choiceImageChange),
			huh.NewOption("Go on without the inspection", choiceImageContinue)}
	case ii.cleared():
		opts = []huh.Option[string]{huh.NewOption("Continue", choiceImageOK), huh.NewOption("Choose another image", choiceImageChange)}
	default:
		if sg := ii.in.Report.Suggested; sg != nil && ii.in.Report.Has(inspect.IDOSMismatch) {
			opts = append(opts, huh.NewOption("Use the detected OS: "+safetext.Escape(strings.TrimSpace(sg.OsType+" "+sg.OsName)), choiceImageOS))
		}
		opts = append(opts, huh.NewOption("Choose another image (fix it first)", choiceImageChange),
			huh.NewOption("Continue anyway: the import may fail or the host not boot", choiceImageContinue))
	}
	*choice = opts[0].Value
	title := "Go on with this image?"
	if !ii.cleared() {
		title = "This image would not import or boot as it is. What now?"
	}
	return huh.NewSelect[string]().Key("imagenext").Title(title).Options(opts...).Value(choice)
}

// answerImage carries out a choice and reports whether the user wants
// another image (false: go on, or ask again when something still blocks).
func (st *wizardState) answerImage(choice string) (change bool) {
	ii := st.inspected()
	switch choice {
	case choiceImageChange:
		return true
	case choiceImageOS:
		st.useDetectedOS()
	case choiceImageContinue:
		ii.overridden = true
	}
	return false
}

// imageDone reports whether the user may leave the image step forward.
func (st *wizardState) imageDone() bool {
	ii := st.inspected()
	return ii != nil && (ii.err != nil && ii.overridden || ii.err == nil && ii.cleared())
}

// first is the first non-empty value.
func first(vals ...string) string { return importer.First(vals...) }

// isDemoImage reports whether url is one of the simulator's guest disks.
func (st *wizardState) isDemoImage(url string) bool {
	for _, d := range st.be.DemoImages() {
		if d.URL == url {
			return true
		}
	}
	return false
}

// detectedOS is the OS type and name the inspection suggests, for the OS
// name field; "" when there is none.
func (st *wizardState) detectedOS() (osType, name string) {
	ii := st.inspected()
	if ii == nil || ii.err != nil || ii.in.Report.Suggested == nil {
		return "", ""
	}
	sg := ii.in.Report.Suggested
	t, _ := importspec.CanonicalOsType(sg.OsType)
	return t, sg.OsName
}
