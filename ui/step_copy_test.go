package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
)

// fakeCopier answers Backend.Copy as the use case would: a Sent event and
// a poll per target, then Done; regions in unavailable end Unavailable.
type fakeCopier struct {
	mu          sync.Mutex
	reqs        []importer.CopyRequest
	unavailable []string
}

func (c *fakeCopier) copy(_ context.Context, req importer.CopyRequest, onEvent func(imagecopy.Event)) ([]imagecopy.Result, error) {
	c.mu.Lock()
	c.reqs = append(c.reqs, req)
	c.mu.Unlock()
	var results []imagecopy.Result
	for i, region := range req.To {
		r := imagecopy.Result{Region: region, ImageID: "uimage-copy000" + string(rune('1'+i)), State: apiclient.StateAvailable}
		onEvent(imagecopy.Event{Kind: imagecopy.EventSending, Region: region})
		onEvent(imagecopy.Event{Kind: imagecopy.EventSent, Region: region, ImageID: r.ImageID})
		if slices.Contains(c.unavailable, region) {
			r.State, r.Err = apiclient.StateUnavailable, &imagecopy.UnavailableError{Region: region, ImageID: r.ImageID}
		}
		results = append(results, r)
	}
	for _, r := range results {
		onEvent(imagecopy.Event{Kind: imagecopy.EventProgress, Region: r.Region, ImageID: r.ImageID, State: apiclient.StateCopying})
		onEvent(imagecopy.Event{Kind: imagecopy.EventDone, Region: r.Region, ImageID: r.ImageID, State: r.State, Err: r.Err})
	}
	return results, nil
}

func (c *fakeCopier) requests() []importer.CopyRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.reqs)
}

// After Available, c opens "Copy to other regions?": the regions from
// GetRegion without the image's own; the chosen ones are copied through
// the backend and followed, a line each; the result holds every copy.
func TestCopyStepAfterAvailable(t *testing.T) {
	api := newFakeAPI()
	opts := testOptions(api, envStore())
	cp := &fakeCopier{unavailable: []string{"hk"}}
	hooks(opts).copy = cp.copy
	r := startWizard(t, opts)
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	r.Send(char('w'))
	r.p.waitText(t, "Copy to other regions? Press c")
	r.Send(char('c'))
	s := r.p.waitFocus(t, "copyto")
	if s.step != stepCopy || !strings.Contains(s.view, "after the import · Copy to other regions") ||
		!strings.Contains(s.view, "cn-bj2 · Beijing 2") || !strings.Contains(s.view, "hk · Hong Kong") || strings.Contains(s.view, "sg · Singapore") {
		t.Fatalf("copy screen (the import went to sg):\n%s", s.view)
	}
	r.Send(char('x'), keyDownMsg, char('x'), keyEnterMsg)
	r.p.waitText(t, "Copy to cn-bj2, hk now?")
	r.Send(keyEnterMsg)
	s = r.p.waitText(t, "1 of 2 copies are Available")
	if !strings.Contains(s.view, "cn-bj2       uimage-copy0001 · Available") || !strings.Contains(s.view, "hk           uimage-copy0002 · Unavailable") {
		t.Errorf("copy lines:\n%s", s.view)
	}
	r.Send(keyEnterMsg)
	res := r.result(t)
	reqs := cp.requests()
	if len(reqs) != 1 || reqs[0].Region != "sg" || reqs[0].ImageID != "uimage-test0001" || !slices.Equal(reqs[0].To, []string{"cn-bj2", "hk"}) ||
		!reqs[0].Wait || reqs[0].Name != "web-base" {
		t.Errorf("copy requests %+v", reqs)
	}
	if len(res.Copies) != 2 || res.CopiesStopped || res.Copies[1].State != apiclient.StateUnavailable || importer.CopiesFailed(res.Copies) == nil {
		t.Errorf("result copies %+v (stopped %v)", res.Copies, res.CopiesStopped)
	}
}

// Without a copier (or choosing none) the wait screen ends as before.
func TestCopyNotOfferedWithoutBackendSupport(t *testing.T) {
	api := newFakeAPI()
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	r.Send(char('w'))
	s := r.p.waitText(t, "Available after")
	if strings.Contains(s.view, "Copy to other regions") {
		t.Errorf("copies offered by a backend that cannot copy:\n%s", s.view)
	}
	r.Send(char('c'), keyEnterMsg)
	if res := r.result(t); len(res.Copies) != 0 || res.State != apiclient.StateAvailable {
		t.Errorf("result %+v", res)
	}
}

// Accessible mode asks the same, line by line, and says each copy's state.
func TestAccessibleCopy(t *testing.T) {
	api := newFakeAPI()
	out := &lockedBuffer{}
	opts := testOptions(api, envStore())
	cp := &fakeCopier{}
	hooks(opts).copy = cp.copy
	opts.Accessible = true
	opts.In = &answers{lines: []string{
		"3", "", "web-base", "2", "", "", "", "", // hk, default project, name, Ubuntu, keep the rest
		"https://b.hk.ufileos.com/web.qcow2",
		"y", // authorise
		"1", // submit
		"",  // wait: yes
		"hk, sgp",
		"sg", // the first answer is refused: hk is the image's own region, sgp none
		"",   // copy now: yes
	}}
	opts.Out = out
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	text := out.String()
	for _, want := range []string{"The image can be copied to: sg, cn-bj2.", "hk is not one of the regions listed above",
		"Copy to sg sent: ImageId uimage-copy0001.", "sg: Available.", "The copy is Available."} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if len(res.Copies) != 1 || res.Copies[0].Region != "sg" || res.Copies[0].State != apiclient.StateAvailable {
		t.Errorf("result copies %+v", res.Copies)
	}
}

// A copy that cannot start (the source is not Available after all) says
// why; every chosen region ends with that error, none passes for copied.
func TestCopyStepSourceRefused(t *testing.T) {
	api := newFakeAPI()
	opts := testOptions(api, envStore())
	hooks(opts).copy = func(context.Context, importer.CopyRequest, func(imagecopy.Event)) ([]imagecopy.Result, error) {
		return nil, &imagecopy.SourceError{Region: "sg", ImageID: "uimage-test0001", State: apiclient.StateMaking}
	}
	r := startWizard(t, opts)
	walkToPreview(t, r)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	r.Send(char('w'))
	r.p.waitText(t, "Copy to other regions? Press c")
	r.Send(char('c'))
	r.p.waitFocus(t, "copyto")
	r.Send(char('x'), keyEnterMsg)
	r.p.waitText(t, "Copy to cn-bj2 now?")
	r.Send(keyEnterMsg)
	s := r.p.waitText(t, "Nothing was copied.")
	if !strings.Contains(s.view, "only an Available image can be copied") {
		t.Errorf("screen:\n%s", s.view)
	}
	r.Send(keyEnterMsg)
	res := r.result(t)
	if len(res.Copies) != 1 || res.Copies[0].Err == nil || importer.CopiesFailed(res.Copies) == nil {
		t.Errorf("result copies %+v", res.Copies)
	}
}
