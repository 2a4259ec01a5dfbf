package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/importspec"
)

// detailsStep asks what the image is: name, OS, format, tag, description.
// Three pages, so each fits 80×24 and the OS name (whose "位" is double
// width, which the renderer repaints on every frame) never shares a page
// with another text input: typing a name costs ~10 bytes a key, not ~150.
type detailsStep struct {
	st     *wizardState
	form   *embeddedForm
	osName *osNameField
	osType *huh.Select[string]
}

// osTypeRows is how many OS types the list shows in the current body.
func (s *detailsStep) osTypeRows() int {
	return max(min(len(importspec.OsTypes), s.st.bodyHeight-13), 3)
}

func newDetailsStep(st *wizardState) *detailsStep { return &detailsStep{st: st} }

// detailsFields are the pages' fields, for both modes: about holds name and
// OS type; storage holds OS name and format, then tag and description.
func detailsFields(st *wizardState, listRows int) (about, storage []huh.Field, osName *osNameField) {
	s := &st.spec
	if s.Format == "" {
		s.Format = importspec.Formats[0].Name
	}
	if s.OsType == "" {
		s.OsType = importspec.OsTypes[0].Name
	}
	osName = newOsNameField(s).withDetected(st.detectedOS())
	var formats []huh.Option[string]
	for _, f := range importspec.Formats {
		formats = append(formats, huh.NewOption(fmt.Sprintf("%-6s %s", f.Name, f.Hint), f.Name))
	}
	about = []huh.Field{
		huh.NewInput().Key("name").Title("Image name").Description(describe("name")).
			Placeholder("e.g. web-base-2024").CharLimit(importspec.MaxNameLen).
			Value(&s.Name).Validate(keepOr(&s.Name, importspec.ValidateName)),
		huh.NewSelect[string]().Key("ostype").Title("OS type").Description(describe("ostype")).
			Options(huh.NewOptions(importspec.OsTypeNames()...)...).Value(&s.OsType).Height(listRows + 2),
	}
	storage = []huh.Field{
		osName,
		huh.NewSelect[string]().Key("format").Title("Format").Description(describe("format")).
			Options(formats...).Value(&s.Format),
		huh.NewInput().Key("tag").Title("Business group").Description(describe("tag")).
			Value(&s.Tag).Validate(importspec.ValidateTag),
		huh.NewInput().Key("description").Title("Description").Description(describe("description")).
			Value(&s.Description).Validate(importspec.ValidateDescription),
	}
	return about, storage, osName
}

// detailChecks validate as the user types.
var detailChecks = map[string]func(string) error{
	"name":        importspec.ValidateName,
	"tag":         importspec.ValidateTag,
	"description": importspec.ValidateDescription,
}

func (s *detailsStep) enter() tea.Cmd {
	about, storage, osName := detailsFields(s.st, s.osTypeRows())
	s.osName = osName
	s.osType, _ = about[1].(*huh.Select[string])
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 2, about[0],
		huh.NewGroup(about...).Title("About the system (1/3)"),
		huh.NewGroup(storage[:2]...).Title("Version and format (2/3)"),
		huh.NewGroup(storage[2:]...).Title("Labels, optional (3/3)"))
	s.form.checks = detailChecks
	return cmd
}

func (s *detailsStep) update(msg tea.Msg) (nav, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok && s.osType != nil {
		// The list follows the window, growing as well as shrinking.
		s.osType.Height(s.osTypeRows() + 2)
	}
	prev := s.form.GetFocusedField()
	done, back, cmd := s.form.update(msg)
	// huh rebuilds only the current page's view: after the OS type changed
	// on page 1, page 2 must be redrawn once it is shown.
	if s.osName.sync() || s.form.GetFocusedField() != prev {
		s.form.redraw()
	}
	switch {
	case back:
		return backward, nil
	case done:
		return forward, nil
	}
	return stay, cmd
}

func (s *detailsStep) view() string {
	warn := ""
	if s.form.GetFocusedField() == s.osName {
		if w := s.osName.warning(); w != "" {
			warn = wrapTo(warnLine(w), s.st.width)
		}
	}
	return lines(s.form.View(), s.form.liveProblem(), warn)
}

func (s *detailsStep) keys() []key.Binding { return append(s.form.keys(), keyBack) }

func (s *detailsStep) currentForm() *embeddedForm { return s.form }
