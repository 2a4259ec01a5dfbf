package ui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
)

// Test keys. The private key must never appear on any screen.
const (
	testPublicKey  = "ucloudtester@example.com1296235120854146120"
	testPrivateKey = "PRIVATE.never.on.screen.46f09bb9fab4"
)

// snapshot is the wizard as the last message left it.
type snapshot struct {
	step  stepID
	width int
	focus string // the focused form field's key, if any
	view  string // without escape codes, for matching
	raw   string // as drawn, for golden files
	spec  importspec.Spec
	// request is the last request signed for the preview.
	request apiclient.PreparedRequest
	// checkAnswers counts object-check answers delivered, stale ones too.
	checkAnswers int
	// progressMsgs counts upload progress messages delivered.
	progressMsgs int
}

// probe wraps the wizard so a test can watch it without racing the
// program: it snapshots inside Update, on the program's own goroutine.
type probe struct {
	w            *wizard
	mu           sync.Mutex
	last         snapshot
	leaked       bool // the private key was on a screen
	checkAnswers int
	progressMsgs int
}

func (p *probe) Init() tea.Cmd {
	cmd := p.w.Init()
	p.snap()
	return cmd
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.w.Update(msg)
	if _, ok := msg.(checkDoneMsg); ok {
		p.checkAnswers++ // only this goroutine writes it; snap reads it here too
	}
	if _, ok := msg.(uploadProgressMsg); ok {
		p.progressMsgs++
	}
	p.snap()
	return p, cmd
}

func (p *probe) View() tea.View { return p.w.View() }

func (p *probe) snap() {
	raw := p.w.View().Content
	s := snapshot{step: p.w.cur, width: p.w.width, raw: raw, view: ansi.Strip(raw), spec: p.w.st.spec,
		request: p.w.st.request, checkAnswers: p.checkAnswers, progressMsgs: p.progressMsgs}
	if f := p.w.focusedForm(); f != nil {
		s.focus = f.GetFocusedField().GetKey()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = s
	p.leaked = p.leaked || strings.Contains(s.view, testPrivateKey)
}

func (p *probe) get() snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// waitFor polls until cond holds, failing with the screen after 5 s.
func (p *probe) waitFor(t *testing.T, what string, cond func(s snapshot) bool) snapshot {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := p.get()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; step %d, focus %q, screen:\n%s", what, s.step, s.focus, s.view)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitText waits for text on the screen, even if wrapped across lines.
func (p *probe) waitText(t *testing.T, text string) snapshot {
	t.Helper()
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return p.waitFor(t, strings.TrimSpace(text), func(s snapshot) bool { return strings.Contains(flat(s.view), flat(text)) })
}

func (p *probe) waitStep(t *testing.T, id stepID) snapshot {
	t.Helper()
	return p.waitFor(t, stepTitles[id], func(s snapshot) bool { return s.step == id })
}

func (p *probe) waitFocus(t *testing.T, key string) snapshot {
	t.Helper()
	return p.waitFor(t, "focus on "+key, func(s snapshot) bool { return s.focus == key })
}

// run is one wizard under teatest at 80×24 with an ASCII colour profile.
type run struct {
	*teatest.TestModel
	p *probe
}

func startWizard(t *testing.T, opts Options) *run {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := &probe{w: newWizard(ctx, opts)}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	r := &run{TestModel: tm, p: p}
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		if p.leaked {
			t.Error("the private key was shown on a screen")
		}
	})
	return r
}

// Send sends messages in order.
func (r *run) Send(msgs ...tea.Msg) {
	for _, m := range msgs {
		r.TestModel.Send(m)
	}
}

// result ends the run and returns what the wizard would report.
func (r *run) result(t *testing.T) Result {
	t.Helper()
	m := r.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*probe)
	return m.w.result()
}

// Keys as the terminal sends them.
var (
	keyEnterMsg    = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEscMsg      = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyShiftTabMsg = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	keyCtrlCMsg    = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyDownMsg     = tea.KeyPressMsg{Code: tea.KeyDown}
	keyRightMsg    = tea.KeyPressMsg{Code: tea.KeyRight}
	keyLeftMsg     = tea.KeyPressMsg{Code: tea.KeyLeft}
	keyCtrlUMsg    = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl} // clears a text input
)

func char(c rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: c, Text: string(c)} }

// requireGolden compares a view, drawn with the ASCII profile (bold and
// reverse kept, colour dropped), with testdata/<test>.golden; -update
// rewrites it.
func requireGolden(t *testing.T, raw string) {
	t.Helper()
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	if _, err := w.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, b.Bytes())
}
