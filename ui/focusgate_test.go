package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// startGated is startWizard with the focus gate in front, as Run has it.
func startGated(t *testing.T, opts Options) *run {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := newWizard(ctx, opts)
	p := &probe{w: w}
	tm := teatest.NewTestModel(t, newFocusGateFor(p, w), teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	return &run{TestModel: tm, p: p}
}

// typed is text as the terminal delivers it: one key message a rune, \r
// as Enter. All of it is sent at once, without waiting for the screen.
func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, c := range s {
		if c == '\r' {
			out = append(out, keyEnterMsg)
			continue
		}
		out = append(out, char(c))
	}
	return out
}

// Keys typed ahead of an Enter, in the same batch, go to the next field.
func TestFocusGateLabelsTypedAhead(t *testing.T) {
	for _, tc := range []struct{ keys, tag, description string }{
		{"prod\r中文说明\r", "prod", "中文说明"},
		{"prod\rabc def\r", "prod", "abc def"},
	} {
		t.Run(tc.tag+"/"+tc.description, func(t *testing.T) {
			r := startGated(t, testOptions(newFakeAPI(), envStore()))
			gotoStep(t, r, stepDetails)
			r.p.waitFocus(t, "name")
			r.Type("x")
			for _, f := range []string{"name", "ostype", "osname", "format"} {
				r.p.waitFocus(t, f)
				r.Send(keyEnterMsg)
			}
			r.p.waitFocus(t, "tag")
			r.Send(typed(tc.keys)...)
			s := r.p.waitStep(t, stepURL)
			if s.spec.Tag != tc.tag || s.spec.Description != tc.description {
				t.Errorf("tag %q description %q, want %q and %q", s.spec.Tag, s.spec.Description, tc.tag, tc.description)
			}
		})
	}
}

// Each page typed in one batch, from the keys to the preview: the region
// and project chosen with arrows, the details with text and arrows.
func TestFocusGateWholeWizardTypedAhead(t *testing.T) {
	r := startGated(t, testOptions(newFakeAPI(), envStore()))
	r.p.waitText(t, "Keys from:")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "region")
	r.p.waitText(t, "Hong Kong")
	r.p.waitText(t, "staging")
	r.Send(keyDownMsg, keyDownMsg, keyEnterMsg, keyDownMsg, keyEnterMsg)
	r.p.waitFocus(t, "name")
	batch := typed("web-base\r")
	batch = append(batch, keyDownMsg, keyEnterMsg)        // OS type Ubuntu
	batch = append(batch, typed("Ubuntu 22.04 64位\r")...) // OS name
	batch = append(batch, keyDownMsg, keyEnterMsg)        // the second format
	batch = append(batch, typed("团队\r说明 text\r")...)
	r.Send(batch...)
	r.p.waitFocus(t, "url")
	r.Send(typed("https://bucket.hk.ufileos.com/images/web.qcow2\r")...)
	s := r.p.waitStep(t, stepAuth)
	sp := s.spec
	if sp.Region != "hk" || sp.ProjectID != "org-bbb" || sp.Name != "web-base" || sp.OsType != "Ubuntu" ||
		sp.OsName != "Ubuntu 22.04 64位" || sp.Format == "qcow2" || sp.Tag != "团队" || sp.Description != "说明 text" ||
		sp.URL != "https://bucket.hk.ufileos.com/images/web.qcow2" {
		t.Errorf("spec = %+v", sp)
	}
}

// A value that fails validation keeps focus: the held keys are released
// by the timer, to the same field.
func TestFocusGateReleasesWhenFocusStays(t *testing.T) {
	r := startGated(t, testOptions(newFakeAPI(), envStore()))
	gotoStep(t, r, stepDetails)
	r.p.waitFocus(t, "name")
	r.Send(typed("bad!\r")...)
	r.Send(keyCtrlUMsg)
	r.Send(typed("good\r")...)
	s := r.p.waitFocus(t, "ostype")
	if s.spec.Name != "good" {
		t.Errorf("name %q, want good", s.spec.Name)
	}
}

// The OS name's suggestion is a placeholder: typing replaces it, ctrl+e
// takes it whole, and a name unlike the console's is warned about.
func TestOsNameSuggestionIsReplacedByTyping(t *testing.T) {
	r := startGated(t, testOptions(newFakeAPI(), envStore()))
	gotoStep(t, r, stepDetails)
	r.p.waitFocus(t, "name")
	r.Send(typed("x\r")...)
	r.p.waitFocus(t, "ostype")
	r.Send(keyDownMsg, keyEnterMsg) // Ubuntu
	r.p.waitFocus(t, "osname")
	r.Send(typed("Ubuntu 22.04 64位")...)
	s := r.p.waitFor(t, "the typed name", func(s snapshot) bool { return s.spec.OsName == "Ubuntu 22.04 64位" })
	if strings.Contains(s.view, "not written as the console") {
		t.Errorf("a console-style name is warned about:\n%s", s.view)
	}
	r.Send(keyCtrlUMsg, char('M'), char('y'))
	r.p.waitFor(t, "the name My", func(s snapshot) bool { return s.spec.OsName == "My" })
	r.p.waitText(t, "not written as the console")
	r.Send(keyCtrlUMsg, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	r.p.waitFor(t, "the suggestion taken whole", func(s snapshot) bool { return s.spec.OsName == "Ubuntu 24.04 64位" })
	r.Send(char('x'))
	r.p.waitFor(t, "typing after ctrl+e", func(s snapshot) bool { return s.spec.OsName == "Ubuntu 24.04 64位x" })
}

// The keys page too: both keys and the save answer in one batch.
func TestFocusGateCredentialsTypedAhead(t *testing.T) {
	store := emptyStore()
	r := startGated(t, testOptions(newFakeAPI(), store))
	r.p.waitFocus(t, "public")
	r.Send(typed(testPublicKey + "\r" + testPrivateKey + "\r\r")...)
	r.p.waitText(t, `Saved in the OS keyring as profile "default"`)
	store.mu.Lock()
	saved := store.saved
	store.mu.Unlock()
	if len(saved) != 1 || saved[0].PublicKey != testPublicKey || saved[0].PrivateKey != testPrivateKey {
		t.Errorf("saved %v", saved)
	}
}
