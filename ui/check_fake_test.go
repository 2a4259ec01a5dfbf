package ui

import (
	"context"
	"strings"
	"sync"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/preflight"
)

// fakeCheck is CheckObject with answers chosen by the URL, like the
// simulator's objects: a key with "missing" in it is a 404, "unreachable"
// a host this machine cannot reach, anything else a qcow2 image (so it
// contradicts any other declared format).
type fakeCheck struct {
	mu sync.Mutex
	// gates hold back the check of a URL until closed, or until the
	// check's context ends unless ignoreCancel (a check slow to notice).
	gates        map[string]chan struct{}
	ignoreCancel bool
	asked        []importspec.Spec
	keys         []apiclient.Keys
	cancelled    int // checks whose context ended while they waited
}

func newFakeCheck() *fakeCheck { return &fakeCheck{gates: map[string]chan struct{}{}} }

// gate holds back checks of url until the returned channel is closed.
func (f *fakeCheck) gate(url string) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := make(chan struct{})
	f.gates[url] = g
	return g
}

func (f *fakeCheck) check(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report {
	f.mu.Lock()
	f.asked, f.keys = append(f.asked, spec), append(f.keys, keys)
	gate, ignore := f.gates[spec.URL], f.ignoreCancel
	f.mu.Unlock()
	if gate != nil {
		done := ctx.Done()
		if ignore {
			done = nil
		}
		select {
		case <-gate:
		case <-done:
			f.mu.Lock()
			f.cancelled++
			f.mu.Unlock()
		}
	}
	return fakeReport(spec)
}

func (f *fakeCheck) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.asked)
}

func (f *fakeCheck) cancels() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cancelled
}

// fakeReport is what preflight.Check would say about spec's object.
func fakeReport(spec importspec.Spec) preflight.Report {
	switch {
	case strings.Contains(spec.URL, "missing"):
		return preflight.Report{Reachable: true, Status: 404, Size: -1, Problems: []preflight.Problem{{
			Severity: preflight.Blocking, Code: preflight.CodeNotFound,
			Message: "there is no object at that key (HTTP 404: file not exist)",
			Fix:     "check the key's spelling and case, or upload the image",
		}}}
	case strings.Contains(spec.URL, "unreachable"):
		return preflight.Report{Size: -1, Problems: []preflight.Problem{{
			Severity: preflight.Warning, Code: preflight.CodeUnreachable,
			Message: "could not reach the host from here (the host name does not resolve)",
			Fix:     "if the object should be reachable from here, check the URL's host",
		}}}
	}
	rep := preflight.Report{Reachable: true, Status: 206, Size: 256 << 10, Sniff: imageformat.Result{
		Format: imageformat.QCOW2, Accepted: true, VirtualSize: 20 << 30,
		Details: []string{"qcow2 v3", "virtual size 20 GiB"}, EndChecked: true,
	}}
	if rep.Sniff.Contradicts(spec.Format) {
		rep.Problems = append(rep.Problems, preflight.Problem{
			Severity: preflight.Blocking, Code: preflight.CodeFormatMismatch,
			Message: "the object is qcow2 but the format given is " + spec.Format,
			Fix:     "set the format to qcow2 (--format qcow2), or skip the check (--skip-check)",
		})
	}
	return rep
}

// checkOptions are testOptions with the fake check.
func checkOptions(api *fakeAPI, check *fakeCheck) Options {
	opts := testOptions(api, envStore())
	hooks(opts).checkObject = check.check
	return opts
}
