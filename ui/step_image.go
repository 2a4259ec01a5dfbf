package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/internal/safetext"
)

// imagePhase is where the image step is.
type imagePhase int

const (
	imageAskSource  imagePhase = iota // where is the image (and, in the demo, which one)
	imageEntering                     // the path or the URL
	imageInspecting                   // the inspection runs; Esc stops it
	imageReport                       // what it found, and what now
)

// imageStep asks for the image before anything else about it, looks
// inside it, and shows what it found; OS type, OS name and format are
// filled in from it for the details step.
type imageStep struct {
	st     *wizardState
	form   *embeddedForm
	phase  imagePhase
	spin   spinner.Model
	source string // the answer to "where is the image?"
	choice string // the answer to "what now?"
}

func newImageStep(st *wizardState) *imageStep { return &imageStep{st: st} }

func (s *imageStep) enter() tea.Cmd {
	s.st.prefillImage()
	if s.st.inspected() != nil {
		return s.showReport() // back from a later step: the answer stands
	}
	if s.st.image.source != "" {
		return s.entry()
	}
	return s.askSource()
}

// imageSourceField asks where the image is; in the demo, the simulator's
// guest disks are choices of their own.
func imageSourceField(st *wizardState, choice *string) huh.Field {
	opts := []huh.Option[string]{huh.NewOption("Already in UFile or on the web (a URL)", sourceURL)}
	if st.offersFile() {
		opts = append(opts, huh.NewOption("A file on this machine (uimport uploads it)", sourceFile))
	}
	var demo []huh.Option[string]
	for _, d := range st.be.DemoImages() {
		demo = append(demo, huh.NewOption("Demo: "+d.Title+" — "+d.Description, "demo:"+d.URL))
	}
	// In the demo its own images come first, so Enter alone goes on.
	opts = append(demo, opts...)
	if *choice == "" {
		*choice = opts[0].Value
	}
	return huh.NewSelect[string]().Key("imagesource").Title("Where is the image?").
		Description("uimport looks inside it first: OS, disk layout, drivers. Nothing is sent or uploaded yet.").
		Options(opts...).Value(choice)
}

// answerSource records the source question's answer; it reports whether
// the image is fully chosen (a demo image needs no URL typed).
func (st *wizardState) answerSource(choice string) bool {
	if url, ok := strings.CutPrefix(choice, "demo:"); ok {
		st.image.source, st.image.url = sourceURL, url
		return true
	}
	st.image.source = choice
	return false
}

// imageEntryField is the path or URL input, for both modes.
func imageEntryField(st *wizardState) huh.Field {
	if st.image.source == sourceFile {
		return huh.NewInput().Key("imagepath").Title("Image file on this machine").
			Description("qcow2, VMDK, VHD or RAW; read in place, nothing is changed.").
			Value(&st.image.path).Validate(keepOr(&st.image.path, checkLocalPath)).Suggestions(localSuggestions(st.image.path))
	}
	return huh.NewInput().Key("imageurl").Title("URL of the image").
		Description("A UFile object (public, pre-signed, or private: read with your keys), or any http(s) URL.").
		Placeholder("https://mybucket." + importspec.UFileLabel(st.spec.Region) + ".ufileos.com/images/disk.qcow2").
		CharLimit(importspec.MaxURLLen).Value(&st.image.url).
		Validate(keepOr(&st.image.url, func(v string) error { return importspec.ValidateURL(v, true) }))
}

func (s *imageStep) askSource() tea.Cmd {
	s.phase = imageAskSource
	f := imageSourceField(s.st, &s.source)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 2, f, huh.NewGroup(f))
	return cmd
}

func (s *imageStep) entry() tea.Cmd {
	s.phase = imageEntering
	f := imageEntryField(s.st)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 2, f, huh.NewGroup(f))
	return cmd
}

func (s *imageStep) inspect() tea.Cmd {
	s.st.image.path = expandHome(s.st.image.path)
	s.phase, s.spin = imageInspecting, newSpinner()
	run, stages := s.st.startInspect()
	return tea.Batch(s.spin.Tick, run.cmd(), nextStage(s.st.image.gen, stages).cmd())
}

func (s *imageStep) showReport() tea.Cmd {
	s.phase = imageReport
	f := imageChoiceField(s.st, &s.choice)
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, s.st.bodyHeight-6, f, huh.NewGroup(f))
	return cmd
}

func (s *imageStep) update(msg tea.Msg) (nav, tea.Cmd) {
	if s.phase == imageInspecting {
		return s.updateInspecting(msg)
	}
	done, back, cmd := s.form.update(msg)
	switch {
	case back && s.phase == imageAskSource:
		return backward, nil
	case back && s.phase == imageReport:
		return stay, s.entry()
	case back:
		return stay, s.askSource()
	case !done:
		return stay, cmd
	}
	switch s.phase {
	case imageAskSource:
		if s.st.answerSource(s.source) {
			return stay, s.inspect()
		}
		return stay, s.entry()
	case imageEntering:
		return stay, s.inspect()
	}
	if s.st.answerImage(s.choice) {
		return stay, s.entry()
	}
	if s.st.imageDone() {
		return forward, nil
	}
	return stay, s.showReport() // something still blocks
}

func (s *imageStep) updateInspecting(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case inspectDoneMsg:
		if s.st.acceptInspect(msg) {
			return stay, s.showReport()
		}
	case inspectStageMsg:
		if s.st.stageSeen(msg) {
			return stay, nextStage(msg.gen, msg.more).cmd()
		}
	case spinner.TickMsg:
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return stay, cmd
	case tea.KeyPressMsg:
		if key.Matches(msg, keyStopCheck) {
			s.st.stopInspect()
			return stay, s.entry()
		}
	}
	return stay, nil
}

// chosenLine names the image being looked at.
func (s *imageStep) chosenLine() string {
	return wrapTo(labelStyle.Render("Image ")+" "+safetext.Escape(redactedSource(s.st.imageSource())), s.st.width)
}

// redactedSource is a path or URL without a pre-signed query.
func redactedSource(src string) string {
	if base, _, ok := strings.Cut(src, "?"); ok {
		return base + "?…"
	}
	return src
}

func (s *imageStep) view() string {
	switch s.phase {
	case imageInspecting:
		return lines(s.chosenLine(), blankLine,
			s.spin.View()+" Looking inside the image: "+s.st.image.stage+"…",
			faintStyle.Render("Only what is needed is read (a few MiB of an object). Esc stops."))
	case imageReport:
		form := s.form.View()
		room := s.st.bodyHeight - lipgloss.Height(form) - 3
		return lines(s.chosenLine(), blankLine, imageReportView(s.st.inspected(), s.st.width, room), blankLine, form)
	}
	return s.form.View()
}

func (s *imageStep) keys() []key.Binding {
	if s.phase == imageInspecting {
		return []key.Binding{keyStopCheck}
	}
	return append(s.form.keys(), keyBack)
}

// currentForm is nil while inspecting: no field takes keys then.
func (s *imageStep) currentForm() *embeddedForm {
	if s.phase == imageInspecting {
		return nil
	}
	return s.form
}
