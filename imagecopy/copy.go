// Package imagecopy copies one custom image to other regions and projects
// with CopyCustomImage and follows every copy in its own region. The
// request is not idempotent, so it goes out once per target and is never
// retried; the caller's journal records it before it is sent. The package
// never prints: it returns a result per target and reports progress as
// events.
package imagecopy

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
)

// API is what a copy needs of one region's client; *apiclient.Client has it.
type API interface {
	follow.Describer
	GetProjectList(ctx context.Context) ([]apiclient.Project, error)
	PrepareCopy(r apiclient.CopyRequest) apiclient.PreparedRequest
	SendCopy(ctx context.Context, req apiclient.PreparedRequest) (apiclient.CopyResult, error)
}

// Clients returns the client that speaks for region. The copy request goes
// through the source region's client; each copy is followed through its
// target region's.
type Clients func(region string) (API, error)

// Journal records every copy request before it is sent and its answer
// after. journal.Journal does this with a small adapter.
type Journal interface {
	// Sent records req; an error means the request must not be sent.
	Sent(req apiclient.PreparedRequest) (id string, err error)
	// Outcome records the answer to Sent's id; uncertain says the copy may
	// have been made despite sendErr.
	Outcome(id, imageID string, sendErr error, uncertain bool) error
	// State records the final state a followed copy reached.
	State(imageID, state string) error
}

// Source is the image to copy: it lives in one region and project.
type Source struct {
	Region    string
	ProjectID string // empty: the default project
	ImageID   string
}

// Target is one copy to make.
type Target struct {
	Region      string
	ProjectID   string // empty: the source's project (or the default one)
	ImageName   string // empty: the source's name
	Description string
	Tag         string
}

// Options are a copy's dependencies and settings.
type Options struct {
	Clients Clients
	Journal Journal // nil: nothing is recorded
	// Wait follows each copy until Available or Unavailable. Without it
	// results have State "" and the copies go on in the cloud.
	Wait bool
	// Polling tunes following; its Region, ProjectID and ImageID are set
	// per copy. Zero values: follow's first wait, waits capped at 12 s and
	// a 1 h limit, as Packer's ucloud builder does for copies.
	Polling follow.Options
	// OnEvent receives progress; calls never overlap.
	OnEvent func(Event)
}

// Packer-like polling for copies.
const (
	DefaultMaxWait = 12 * time.Second
	DefaultLimit   = time.Hour
)

// Result is one target's outcome. ImageID is set once the API named the
// copy; Err is nil only when the copy was made and, with Wait, became
// Available.
type Result struct {
	Region    string
	ProjectID string
	ImageID   string
	TaskID    string
	State     string // the last state seen: Copying, Available, Unavailable; "" when not followed
	// Uncertain: the send failed in a way after which the copy may still
	// have been made (see apiclient.MayHaveArrived).
	Uncertain bool
	Err       error
}

// OK reports whether the copy was made and, if followed, became Available.
func (r Result) OK() bool { return r.Err == nil }

// Copy checks that the source is Available, sends one CopyCustomImage per
// target (journalled first, never retried) and, with o.Wait, follows every
// copy in its own region and project. The error is for problems that stop
// everything before any copy is sent (bad request, source not Available);
// each target's own failure is in its Result, and the others go on.
func Copy(ctx context.Context, src Source, targets []Target, o Options) ([]Result, error) {
	if err := validate(src, targets); err != nil {
		return nil, err
	}
	if o.Clients == nil {
		return nil, &RequestError{Msg: "imagecopy: Options.Clients is nil", Fix: "This is a bug in uimport: please report it."}
	}
	em := &emitter{fn: o.OnEvent}
	srcAPI, err := o.Clients(src.Region)
	if err != nil {
		return nil, err
	}
	img, err := follow.DescribeOne(ctx, srcAPI, apiclient.DescribeImageRequest{Region: src.Region, ProjectId: src.ProjectID, ImageId: src.ImageID})
	if err != nil {
		return nil, err
	}
	if img.State != apiclient.StateAvailable {
		return nil, &SourceError{Region: src.Region, ProjectID: src.ProjectID, ImageID: src.ImageID, State: img.State}
	}
	fallbackProject, err := targetProject(ctx, srcAPI, src, targets)
	if err != nil {
		return nil, err
	}

	results := make([]Result, len(targets))
	for i, t := range targets {
		if t.ProjectID == "" {
			t.ProjectID = fallbackProject
		}
		results[i] = send(ctx, srcAPI, src, t, o.Journal, em)
	}
	if o.Wait {
		followAll(ctx, results, o, em)
	}
	return results, nil
}

// validate refuses a request that cannot be right before anything is sent.
func validate(src Source, targets []Target) error {
	if src.Region == "" || src.ImageID == "" {
		return &RequestError{Msg: "the source needs a region and an ImageId", Fix: "Name the image and its region (--region)."}
	}
	if len(targets) == 0 {
		return ErrNoTargets
	}
	seen := make(map[Target]bool, len(targets))
	for _, t := range targets {
		if t.Region == "" {
			return &RequestError{Msg: "a target has no region", Fix: "List target regions by id, e.g. --to hk,sg."}
		}
		key := Target{Region: t.Region, ProjectID: t.ProjectID}
		if seen[key] {
			return &RequestError{Msg: "region " + t.Region + " is a target twice", Fix: "Name each target region once: every copy is a new image."}
		}
		seen[key] = true
	}
	return nil
}

// targetProject is the project for targets that name none: the source's,
// or the account's default one, since the API requires TargetProjectId.
func targetProject(ctx context.Context, api API, src Source, targets []Target) (string, error) {
	if src.ProjectID != "" {
		return src.ProjectID, nil
	}
	needed := false
	for _, t := range targets {
		needed = needed || t.ProjectID == ""
	}
	if !needed {
		return "", nil
	}
	projects, err := api.GetProjectList(ctx)
	if err != nil {
		return "", err
	}
	for _, p := range projects {
		if p.IsDefault {
			return p.ProjectId, nil
		}
	}
	return "", &RequestError{Msg: "the account has no default project to copy into", Fix: "Name the project with --project-id."}
}

// send makes exactly one CopyCustomImage attempt for t, journalled first.
func send(ctx context.Context, api API, src Source, t Target, j Journal, em *emitter) Result {
	res := Result{Region: t.Region, ProjectID: t.ProjectID}
	if err := ctx.Err(); err != nil {
		res.Err = fmt.Errorf("not sent: %w", err)
		return res
	}
	req := api.PrepareCopy(apiclient.CopyRequest{
		Region: src.Region, ProjectId: src.ProjectID, SourceImageId: src.ImageID,
		TargetProjectId: t.ProjectID, TargetRegion: t.Region,
		TargetImageName: t.ImageName, TargetImageDescription: t.Description, TargetImageTag: t.Tag,
	})
	var journalID string
	if j != nil {
		id, err := j.Sent(req)
		if err != nil {
			res.Err = &JournalError{Region: t.Region, Err: err}
			return res
		}
		journalID = id
	}
	em.emit(Event{Kind: EventSending, Region: t.Region, ProjectID: t.ProjectID})
	out, err := api.SendCopy(ctx, req)
	res.ImageID, res.TaskID, res.Err = out.TargetImageId, out.TaskId, err
	res.Uncertain = err != nil && apiclient.MayHaveArrived(err)
	if j != nil {
		if jerr := j.Outcome(journalID, res.ImageID, err, res.Uncertain); jerr != nil {
			em.emit(Event{Kind: EventJournalWarning, Region: t.Region, ImageID: res.ImageID, Err: jerr})
		}
	}
	if err != nil {
		em.emit(Event{Kind: EventSendFailed, Region: t.Region, ProjectID: t.ProjectID, Err: err})
	} else {
		em.emit(Event{Kind: EventSent, Region: t.Region, ProjectID: t.ProjectID, ImageID: res.ImageID})
	}
	return res
}

// followAll follows every copy that was made, each in its own region and
// project, at the same time.
func followAll(ctx context.Context, results []Result, o Options, em *emitter) {
	var wg sync.WaitGroup
	for i := range results {
		if results[i].Err != nil || results[i].ImageID == "" {
			continue
		}
		wg.Go(func() { followOne(ctx, &results[i], o, em) })
	}
	wg.Wait()
}

func followOne(ctx context.Context, r *Result, o Options, em *emitter) {
	api, err := o.Clients(r.Region)
	if err != nil {
		r.Err = err
		em.emit(Event{Kind: EventDone, Region: r.Region, ProjectID: r.ProjectID, ImageID: r.ImageID, Err: err})
		return
	}
	p := o.Polling
	p.Region, p.ProjectID, p.ImageID = r.Region, r.ProjectID, r.ImageID
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	img, err := follow.Wait(ctx, api, p, func(u follow.Update) {
		em.emit(Event{Kind: EventProgress, Region: r.Region, ProjectID: r.ProjectID, ImageID: r.ImageID, State: u.State, Elapsed: u.Elapsed, Err: u.Err})
	})
	r.State = img.State
	switch {
	case err != nil:
		r.Err = err
	case img.State == apiclient.StateUnavailable:
		r.Err = &UnavailableError{Region: r.Region, ImageID: r.ImageID}
	}
	if err == nil && o.Journal != nil {
		if jerr := o.Journal.State(r.ImageID, img.State); jerr != nil {
			em.emit(Event{Kind: EventJournalWarning, Region: r.Region, ImageID: r.ImageID, Err: jerr})
		}
	}
	em.emit(Event{Kind: EventDone, Region: r.Region, ProjectID: r.ProjectID, ImageID: r.ImageID, State: r.State, Err: r.Err})
}
