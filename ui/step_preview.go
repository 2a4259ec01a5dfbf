package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/keystore"
)

// The preview's buttons, left to right.
const (
	btnSubmit = iota
	btnBack
	btnCancel
)

var buttonLabels = []string{"Submit", "Back", "Cancel"}

// previewStep shows the signed request exactly as Submit will send it.
type previewStep struct {
	st       *wizardState
	vp       viewport.Model
	cursor   int
	reveal   bool // show the public key in full
	showCurl bool
	check    string // what the object check found, above the buttons
}

func newPreviewStep(st *wizardState) *previewStep { return &previewStep{st: st} }

// previewFooter is the lines under the viewport: a blank, the buttons, a
// note; the object check's lines come on top of these.
const previewFooter = 3

func (s *previewStep) enter() tea.Cmd {
	s.st.prepare()
	s.st.armed = false
	// The preview opens on Back: the key that left Authorisation ("y",
	// Enter), or one typed after it out of habit, must not send the import
	// unseen. Submit is one ← away; after a failure the same holds.
	s.cursor = btnBack
	s.showCurl = false
	s.layout()
	return nil
}

func (s *previewStep) layout() {
	s.check = checkNote(s.st)
	footer := previewFooter
	if s.check != "" {
		footer += strings.Count(s.check, "\n") + 2 // and a blank before the buttons
	}
	s.vp = viewport.New(viewport.WithWidth(s.st.width), viewport.WithHeight(max(s.st.bodyHeight-footer, 3)))
	s.vp.SetContent(s.body())
}

func (s *previewStep) body() string {
	req := s.st.request
	if s.showCurl {
		return lines(labelStyle.Render("The same request with curl (printed again when the wizard ends):"), blankLine,
			ansi.Hardwrap(maskKey(req.Curl(), req, s.reveal), s.st.width, false))
	}
	return lines(
		labelStyle.Render(req.Method)+" "+req.URL,
		faintStyle.Render("Content-Type: application/x-www-form-urlencoded"), blankLine,
		requestTable(req, s.reveal, s.st.width), blankLine,
		wrapTo("Signed with your private key, which is never shown or sent.", s.st.width))
}

// requestTable lists every parameter sent, long values wrapped.
func requestTable(req apiclient.PreparedRequest, reveal bool, width int) string {
	const keyW = 18
	valW := max(width-keyW-2, 16)
	var out []string
	for _, kv := range req.SortedParams() {
		v := kv[1]
		if kv[0] == "PublicKey" && !reveal {
			v = keystore.MaskPublicKey(v) + faintStyle.Render("  (r reveals)")
		}
		for i, l := range strings.Split(ansi.Hardwrap(v, valW, false), "\n") {
			k := ""
			if i == 0 {
				k = kv[0]
			}
			out = append(out, fmt.Sprintf("  %s%s", labelStyle.Render(fmt.Sprintf("%-*s", keyW, k)), l))
		}
	}
	return strings.Join(out, "\n")
}

// maskKey hides the public key in on-screen text unless revealed.
func maskKey(s string, req apiclient.PreparedRequest, reveal bool) string {
	pub := req.Params["PublicKey"]
	if reveal || pub == "" {
		return s
	}
	return strings.ReplaceAll(s, pub, keystore.MaskPublicKey(pub))
}

func (s *previewStep) update(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.layout()
		return stay, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, keyBack):
			return backward, nil
		case key.Matches(msg, keyLeft):
			s.cursor = (s.cursor + len(buttonLabels) - 1) % len(buttonLabels)
		case key.Matches(msg, keyRight):
			s.cursor = (s.cursor + 1) % len(buttonLabels)
		case key.Matches(msg, keyReveal):
			s.reveal = !s.reveal
			s.vp.SetContent(s.body())
		case key.Matches(msg, keyCurl):
			s.showCurl = !s.showCurl
			if s.showCurl {
				s.st.wantCurl()
			}
			s.vp.SetContent(s.body())
			s.vp.GotoTop()
		case key.Matches(msg, keyPress):
			return s.press()
		default:
			var cmd tea.Cmd
			s.vp, cmd = s.vp.Update(msg) // arrows and page keys scroll
			return stay, cmd
		}
	}
	return stay, nil
}

// press acts on the chosen button. Only Submit arms the submit step.
func (s *previewStep) press() (nav, tea.Cmd) {
	switch s.cursor {
	case btnSubmit:
		s.st.arm()
		return forward, nil
	case btnBack:
		return backward, nil
	default:
		return cancel, nil
	}
}

func (s *previewStep) view() string {
	var btns []string
	for i, l := range buttonLabels {
		st := buttonOff
		if i == s.cursor {
			st = buttonOn
		}
		btns = append(btns, st.Render(l))
	}
	note := "Sends ImportCustomImage once, never retried."
	if s.st.submitErr != nil {
		note = "The last submit failed: fix it, then Submit."
	}
	check := s.check
	if check != "" {
		check += "\n" + blankLine
	}
	return lines(s.vp.View(), blankLine, check, strings.Join(btns, "  ")+"  "+faintStyle.Render(truncate(note, s.st.width-28)))
}

func (s *previewStep) keys() []key.Binding {
	keys := []key.Binding{keyLeft, keyReveal, keyCurl}
	if s.vp.TotalLineCount() > s.vp.Height() {
		keys = append(keys, keyScroll) // only when there is more to see
	}
	return append(keys, keyBack)
}
