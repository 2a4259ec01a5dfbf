package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/apiclient"
)

// walkToPreview fills every step as a person would, from the first screen.
func walkToPreview(t *testing.T, r *run) {
	t.Helper()
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "region")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "project")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "name")
	r.Type("web-base")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "ostype")
	r.Send(keyDownMsg)
	r.p.waitFor(t, "OS type Ubuntu", func(s snapshot) bool { return s.spec.OsType == "Ubuntu" })
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "osname")
	r.Send(keyEnterMsg)
	for _, f := range []string{"format", "tag", "description"} {
		r.p.waitFocus(t, f)
		r.Send(keyEnterMsg)
	}
	r.p.waitFocus(t, "url")
	r.Type("https://bucket.sg.ufileos.com/images/web.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	r.Send(char('y'))
	r.p.waitStep(t, stepPreview)
	// The preview opens on Back; the tests that go on choose Submit.
	r.Send(keyLeftMsg)
	r.p.waitFor(t, "Submit chosen", func(s snapshot) bool { return strings.Contains(s.raw, buttonOn.Render("Submit")) })
}

func TestWizardHappyPath(t *testing.T) {
	api := newFakeAPI()
	r := startWizard(t, testOptions(api, envStore()))
	walkToPreview(t, r)
	r.p.waitText(t, "Signature")
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Import submitted")
	r.Send(keyEnterMsg) // wait for the build
	r.p.waitText(t, "Available after")
	r.Send(keyEnterMsg)
	res := r.result(t)
	if res.ImageID != "uimage-test0001" || res.State != apiclient.StateAvailable || res.Interrupted || res.Cancelled {
		t.Fatalf("result = %+v", res)
	}
	want := apiclient.ImportRequest{Region: "sg", ProjectId: "org-aaa", ImageName: "web-base", OsType: "Ubuntu",
		OsName: "Ubuntu 24.04 64位", Format: "qcow2", UFileUrl: "https://bucket.sg.ufileos.com/images/web.qcow2"}
	if got := res.Spec.Request(); got != want {
		t.Errorf("request = %+v\nwant      %+v", got, want)
	}
	if n := api.sendCount(); n != 1 {
		t.Errorf("SendImport called %d times, want 1", n)
	}
}

func TestWizardFirstFrameDoesNotWaitForKeyring(t *testing.T) {
	store := envStore()
	store.gate = make(chan struct{}) // a keyring that has not answered yet
	r := startWizard(t, testOptions(newFakeAPI(), store))
	r.p.waitText(t, "Looking for API keys")
	close(store.gate)
	r.p.waitText(t, "Keys from:")
}

func TestWizardLoadsListsWhileCredentialsShow(t *testing.T) {
	api := newFakeAPI()
	r := startWizard(t, testOptions(api, envStore()))
	r.p.waitText(t, "Keys from:")
	r.p.waitFor(t, "GetRegion in the background", func(snapshot) bool {
		api.mu.Lock()
		defer api.mu.Unlock()
		return api.regionCalls == 1
	})
}

// Ctrl+C ends the wizard from any step with nothing sent.
func TestWizardCtrlCAtEveryStepSendsNothing(t *testing.T) {
	for id := stepCredentials; id <= stepPreview; id++ {
		if id == stepImage {
			continue // not offered by a backend that does not inspect (step_image_test.go)
		}
		t.Run(stepTitles[id], func(t *testing.T) {
			api := newFakeAPI()
			r := startWizard(t, testOptions(api, envStore()))
			if id == stepPreview {
				walkToPreview(t, r)
			} else {
				r.p.waitText(t, "Keys from:")
				r.p.w.st.authorised = true // only read on entering the preview
				for s := stepCredentials; s < id; s++ {
					advance(t, r, s)
				}
			}
			r.p.waitStep(t, id)
			r.Send(keyCtrlCMsg)
			res := r.result(t)
			if !res.Interrupted || res.ImageID != "" || res.MaybeSent {
				t.Errorf("result = %+v", res)
			}
			if n := api.sendCount(); n != 0 {
				t.Errorf("SendImport called %d times after Ctrl+C", n)
			}
		})
	}
}

// advance leaves step s with the quickest valid answers.
func advance(t *testing.T, r *run, s stepID) {
	t.Helper()
	switch s {
	case stepCredentials:
		r.p.waitText(t, "Keys from:")
		r.Send(keyEnterMsg)
	case stepRegion:
		r.p.waitFocus(t, "region")
		r.Send(keyEnterMsg)
		r.p.waitFocus(t, "project")
		r.Send(keyEnterMsg)
	case stepDetails:
		r.p.waitFocus(t, "name")
		r.Type("x")
		for _, f := range []string{"name", "ostype", "osname", "format", "tag", "description"} {
			r.p.waitFocus(t, f)
			r.Send(keyEnterMsg)
		}
	case stepURL:
		r.p.waitFocus(t, "url")
		r.Type("https://b.sg.ufileos.com/d.qcow2")
		r.Send(keyEnterMsg)
	case stepAuth:
		r.p.waitFocus(t, "auth")
		r.Send(char('y'))
	}
	r.p.waitStep(t, offeredAfter(s))
}

// offeredAfter is the step after s for the test backend, which does not
// inspect: the image step is left out.
func offeredAfter(s stepID) stepID {
	if s+1 == stepImage {
		return s + 2
	}
	return s + 1
}

// Esc goes back from every step that has somewhere to go; shift+tab does
// the same on a step's first field.
func TestWizardBackFromEveryStep(t *testing.T) {
	for _, back := range []tea.KeyPressMsg{keyEscMsg, keyShiftTabMsg} {
		t.Run(back.String(), func(t *testing.T) {
			r := startWizard(t, testOptions(newFakeAPI(), envStore()))
			walkToPreview(t, r)
			for id := stepPreview; id > stepCredentials; id-- {
				if id == stepImage {
					continue
				}
				r.p.waitStep(t, id)
				if f := map[stepID]string{stepRegion: "region", stepDetails: "name", stepURL: "url", stepAuth: "auth"}[id]; f != "" {
					r.p.waitFocus(t, f)
				}
				r.Send(back)
				r.p.waitStep(t, map[bool]stepID{true: id - 2, false: id - 1}[id-1 == stepImage])
			}
			r.p.waitText(t, "Keys from:")
		})
	}
}

func TestWizardResizes(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	walkToPreview(t, r)
	for _, size := range []tea.WindowSizeMsg{{Width: 60, Height: 20}, {Width: 140, Height: 40}, {Width: 80, Height: 24}} {
		r.Send(size)
		s := r.p.waitFor(t, "a redraw at the new size", func(s snapshot) bool {
			return strings.Contains(s.view, "Submit") && s.width == size.Width
		})
		ls := strings.Split(s.view, "\n")
		if len(ls) > size.Height {
			t.Errorf("%dx%d: %d lines drawn", size.Width, size.Height, len(ls))
		}
		for _, l := range ls {
			if w := ansi.StringWidth(l); w > size.Width {
				t.Errorf("%dx%d: line %q is %d wide", size.Width, size.Height, l, w)
			}
		}
	}
}

func TestWizardDemoSaysDEMOOnEveryScreen(t *testing.T) {
	api := newFakeAPI()
	opts := testOptions(api, envStore())
	opts.Demo = true
	r := startWizard(t, opts)
	check := func() {
		t.Helper()
		if s := r.p.get(); !strings.Contains(strings.SplitN(s.view, "\n", 2)[0], "DEMO") {
			t.Errorf("step %d header lacks DEMO:\n%s", s.step, s.view)
		}
	}
	r.p.waitText(t, "Keys from:")
	check()
	r.Send(keyEnterMsg)
	for _, f := range []string{"region", "project", "name", "ostype", "osname", "format", "tag", "description", "url"} {
		r.p.waitFocus(t, f)
		check()
		r.Send(keyEnterMsg) // demo values are filled in: Enter alone gets through
	}
	r.p.waitStep(t, stepAuth)
	check()
	r.Send(char('y'))
	r.p.waitStep(t, stepPreview)
	check()
	r.Send(keyLeftMsg, keyEnterMsg) // Submit
	r.p.waitText(t, "Import submitted")
	check()
}
