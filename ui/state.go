package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
)

// wizardState is what the steps share: the draft import, the keys and API
// client, and what was loaded or sent. Steps hold a pointer to it; only the
// Bubble Tea goroutine (or the accessible runner) touches it.
type wizardState struct {
	ctx  context.Context
	opts Options
	be   Backend
	spec importspec.Spec

	keys      apiclient.Keys
	keySource string
	api       API
	// keyGen counts key changes, so lists loaded with old keys are dropped.
	keyGen int

	regions  listLoad[regionChoice]
	projects listLoad[apiclient.Project]

	check checkState // the pre-flight check of the UFile object
	image imageState // the image, chosen and inspected first (image.go)
	// declared are the values the command line gave, which an inspection
	// compares with the image (remembered defaults are not among them).
	declared importspec.Spec

	buckets      listLoad[string] // for the file's bucket; loaded when first offered
	bucketsAsked bool
	bucketsGen   int         // like keyGen, but only keys change it: skipping regions must not drop buckets
	upload       uploadState // the upload of a local file

	authorised bool
	request    apiclient.PreparedRequest
	armed      bool // the user pressed Submit on the preview; cleared by sending
	curlWanted bool

	sending   bool // a submit is in flight: Ctrl+C now may leave an import behind
	imageID   string
	submitErr error
	state     string // the image's last known state

	copies copyState // copies once the image is Available (state_copy.go)

	width, bodyHeight int
}

// listLoad is a pick list fetched in the background.
type listLoad[T any] struct {
	items []T
	err   error
	done  bool
}

func newState(ctx context.Context, opts Options) *wizardState {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st := &wizardState{ctx: ctx, opts: opts, be: opts.Backend, spec: opts.Spec.Normalize(), width: 80, bodyHeight: 20}
	st.declared = st.spec
	st.spec.OsType = first(st.spec.OsType, opts.Remembered.OsType)
	st.spec.Format = first(st.spec.Format, opts.Remembered.Format)
	st.prefillDemo()
	return st
}

// useKeys installs keys and starts loading the pick lists in the
// background, while the user is still reading the first screen.
func (st *wizardState) useKeys(keys apiclient.Keys, source string) tea.Cmd {
	st.keys, st.keySource = keys, source
	st.api = st.be.Connect(keys)
	st.keyGen++
	st.regions, st.projects = listLoad[regionChoice]{}, listLoad[apiclient.Project]{}
	st.buckets, st.bucketsAsked = listLoad[string]{}, false
	st.bucketsGen++
	regions, projects := st.lists()
	return tea.Batch(regions.cmd(), projects.cmd())
}

// job is work off the UI goroutine whose answer is a message for the
// state: the full screen runs it as a Bubble Tea command, accessible mode
// calls it and waits. Either way the state changes in one place, when the
// answer is applied.
type job[M tea.Msg] func() M

// cmd is the job as a Bubble Tea command; nil for no job.
func (j job[M]) cmd() tea.Cmd {
	if j == nil {
		return nil
	}
	return func() tea.Msg { return j() }
}

// lists are the jobs that load the pick lists for the keys in use.
func (st *wizardState) lists() (job[regionsMsg], job[projectsMsg]) {
	ctx, api, gen := st.ctx, st.api, st.keyGen
	return func() regionsMsg {
			r, err := api.GetRegion(ctx)
			return regionsMsg{gen: gen, regions: r, err: err}
		}, func() projectsMsg {
			p, err := api.GetProjectList(ctx)
			return projectsMsg{gen: gen, projects: p, err: err}
		}
}

// listsLoaded reports whether both pick lists have arrived (or failed).
func (st *wizardState) listsLoaded() bool { return st.regions.done && st.projects.done }

// regionsMsg and projectsMsg carry background loads; gen ties them to keys.
type regionsMsg struct {
	gen     int
	regions []apiclient.Region
	err     error
}

type projectsMsg struct {
	gen      int
	projects []apiclient.Project
	err      error
}

// apply records a background load; it reports whether msg was one.
func (st *wizardState) apply(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case regionsMsg:
		if msg.gen == st.keyGen {
			st.regions = listLoad[regionChoice]{items: regionChoices(msg.regions), err: msg.err, done: true}
		}
		return true
	case projectsMsg:
		if msg.gen == st.keyGen {
			st.projects = listLoad[apiclient.Project]{items: msg.projects, err: msg.err, done: true}
		}
		return true
	case bucketsMsg:
		if msg.gen == st.bucketsGen && !st.buckets.done {
			st.buckets = listLoad[string]{items: msg.buckets, err: msg.err, done: true}
		}
		return true
	}
	return false
}

// useDocumentedRegions stops waiting for GetRegion (the user asked to).
func (st *wizardState) useDocumentedRegions() {
	if !st.regions.done {
		st.regions = listLoad[regionChoice]{err: errSkipped, done: true}
	}
	if !st.projects.done {
		st.projects = listLoad[apiclient.Project]{err: errSkipped, done: true}
	}
	st.keyGen++ // answers still on their way are now stale
}

// prepare signs the draft: the preview shows exactly what Submit sends.
func (st *wizardState) prepare() apiclient.PreparedRequest {
	st.request = st.api.PrepareImport(st.spec.Request())
	return st.request
}

// arm records the user's Submit on the preview: only it lets the submit
// step send.
func (st *wizardState) arm() { st.armed = true }

// wantCurl records that the user looked at the request as curl, so it is
// printed where it can be copied when the wizard ends.
func (st *wizardState) wantCurl() { st.curlWanted = true }

// submit sends the prepared request once, through the backend.
func (st *wizardState) submit() job[submitDoneMsg] {
	ctx, be, api, req := st.ctx, st.be, st.api, st.request
	st.sending, st.armed = true, false
	return func() submitDoneMsg {
		id, err := be.Submit(ctx, api, req)
		return submitDoneMsg{imageID: id, err: err}
	}
}

type submitDoneMsg struct {
	imageID string
	err     error
}

// submitted records the answer to a submit: the ImageId (the image is now
// Making) or the error, shown until the user edits or submits again.
func (st *wizardState) submitted(msg submitDoneMsg) {
	st.sending = false
	if msg.err != nil {
		st.submitErr = msg.err
		return
	}
	st.imageID, st.submitErr, st.state = msg.imageID, nil, apiclient.StateMaking
}

// observed records a poll's answer; it reports whether the image reached
// a final state.
func (st *wizardState) observed(state string) bool {
	if state != "" {
		st.state = state
	}
	return follow.Final(st.state)
}

// keysFound installs keys the store found.
func (st *wizardState) keysFound(res keystore.Resolved) tea.Cmd {
	return st.useKeys(apiclient.Keys{PublicKey: res.PublicKey, PrivateKey: res.PrivateKey}, st.be.KeySource(res))
}

// keysTyped installs keys typed in the wizard, and reports what to save
// (the keys normalised), if the user asked for that.
func (st *wizardState) keysTyped(in *keyInput) (tea.Cmd, *keystore.Credentials, error) {
	c, err := keystore.Credentials{PublicKey: in.Public, PrivateKey: in.Private}.Normalize()
	in.Private = "" // no second copy lingers in the form
	if err != nil {
		return nil, nil, err
	}
	load := st.useKeys(apiclient.Keys{PublicKey: c.PublicKey, PrivateKey: c.PrivateKey}, "typed in the wizard")
	if !in.Save {
		return load, nil, nil
	}
	return load, &c, nil
}

// result summarises the wizard for the caller.
func (st *wizardState) result() Result {
	r := Result{
		Spec: st.spec, ImageID: st.imageID, State: st.state, Err: st.submitErr,
		MaybeSent: st.sending, KeySource: st.keySource, UploadStopped: st.uploading(),
	}
	if st.imageID != "" {
		r.Err = nil
	}
	if st.curlWanted && st.request.Method != "" {
		r.Curl = st.request.Curl()
	}
	r.Copies, r.CopiesStopped = st.copyResults()
	r.ChecksOverridden = st.checksOverridden()
	return r
}

// checksOverridden reports whether the user went on past a blocking
// inspection finding or object check, so a repeat without a terminal
// needs --skip-check to do the same.
func (st *wizardState) checksOverridden() bool {
	if ii := st.inspected(); ii != nil && ii.overridden {
		return true
	}
	return st.check.last != nil && len(st.check.last.overridden) > 0
}
