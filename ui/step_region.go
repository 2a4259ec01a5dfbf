package ui

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
)

// errSkipped marks a list the user chose not to wait for.
var errSkipped = errors.New("skipped")

// regionChoice is one region in the picker. GetRegion lists zones, so
// several rows collapse into one choice.
type regionChoice struct {
	ID, Name  string
	IsDefault bool
}

// regionChoices de-duplicates GetRegion's per-zone rows, the account's
// default region first, the rest in the API's order.
func regionChoices(rows []apiclient.Region) []regionChoice {
	var out []regionChoice
	seen := map[string]int{}
	for _, r := range rows {
		if i, ok := seen[r.Region]; ok {
			out[i].IsDefault = out[i].IsDefault || r.IsDefault
			continue
		}
		seen[r.Region] = len(out)
		out = append(out, regionChoice{ID: r.Region, Name: r.RegionName, IsDefault: r.IsDefault})
	}
	for i, c := range out {
		if c.IsDefault {
			copy(out[1:i+1], out[:i])
			out[0] = c
			break
		}
	}
	return out
}

// regionOptions are the picker's options: the API's list, or the documented
// one when that failed, with the pre-filled region kept even if unlisted.
func regionOptions(st *wizardState) ([]huh.Option[string], string) {
	choices, note := st.regions.items, ""
	if st.regions.err != nil || len(choices) == 0 {
		choices = nil
		for _, id := range importspec.KnownRegions {
			choices = append(choices, regionChoice{ID: id})
		}
		note = "Showing the documented regions: could not list yours"
		if st.regions.err != nil && !errors.Is(st.regions.err, errSkipped) {
			note += " (" + st.regions.err.Error() + ")"
		}
	}
	var opts []huh.Option[string]
	found := false
	for _, c := range choices {
		label := c.ID
		if c.Name != "" {
			label = fmt.Sprintf("%-12s %s", c.ID, c.Name)
		}
		if c.IsDefault {
			label += " (default)"
		}
		found = found || c.ID == st.spec.Region
		opts = append(opts, huh.NewOption(label, c.ID))
	}
	if st.spec.Region != "" && !found {
		opts = append([]huh.Option[string]{huh.NewOption(st.spec.Region+" (as given)", st.spec.Region)}, opts...)
	}
	return opts, note
}

// projectOptions list the account's projects, default first-chosen. When the
// list is unavailable, the only choice is the account's default project.
func projectOptions(st *wizardState) ([]huh.Option[string], string) {
	var opts []huh.Option[string]
	found := st.spec.ProjectID == ""
	for _, p := range st.projects.items {
		label := fmt.Sprintf("%-14s %s", p.ProjectId, p.ProjectName)
		if p.IsDefault {
			label += " (default)"
			if st.spec.ProjectID == "" {
				st.spec.ProjectID = p.ProjectId
				found = true
			}
		}
		found = found || p.ProjectId == st.spec.ProjectID
		opts = append(opts, huh.NewOption(label, p.ProjectId))
	}
	if !found {
		opts = append([]huh.Option[string]{huh.NewOption(st.spec.ProjectID+" (as given)", st.spec.ProjectID)}, opts...)
	}
	note := ""
	if len(opts) == 0 {
		opts = []huh.Option[string]{huh.NewOption("the account's default project (ProjectId not sent)", "")}
		switch err := st.projects.err; {
		case err == nil || errors.Is(err, errSkipped):
		case st.regions.err != nil && err.Error() == st.regions.err.Error():
			note = "Could not list projects either: the default project is used"
		default:
			note = "Could not list projects (" + err.Error() + ")"
		}
	}
	return opts, note
}

// regionFields are the region and project pickers, for both modes.
func regionFields(st *wizardState, height int) ([]huh.Field, []string) {
	regions, rnote := regionOptions(st)
	projects, pnote := projectOptions(st)
	if st.spec.Region == "" {
		st.spec.Region = regions[0].Value
	}
	rows := max(min(len(regions), height-len(projects)-8), 3)
	return []huh.Field{
		huh.NewSelect[string]().Key("region").Title("Region").
			Description(describe("region")).
			Options(regions...).Value(&st.spec.Region).Height(rows + 2),
		huh.NewSelect[string]().Key("project").Title("Project").
			Description(describe("project")).
			Options(projects...).Value(&st.spec.ProjectID),
	}, []string{rnote, pnote}
}

// regionStep picks the region and project from lists loaded in the
// background since the first screen.
type regionStep struct {
	st    *wizardState
	spin  spinner.Model
	form  *embeddedForm
	notes []string
}

func newRegionStep(st *wizardState) *regionStep { return &regionStep{st: st, spin: newSpinner()} }

func (s *regionStep) enter() tea.Cmd {
	s.form = nil
	if !s.st.listsLoaded() {
		return s.spin.Tick
	}
	return s.build()
}

func (s *regionStep) build() tea.Cmd {
	fields, notes := regionFields(s.st, s.st.bodyHeight-2)
	s.notes = nil
	for _, n := range notes {
		if n != "" {
			s.notes = append(s.notes, warnLine(truncate(n, s.st.width-12)))
		}
	}
	var cmd tea.Cmd
	s.form, cmd = newEmbeddedForm(s.st, 1+len(s.notes), fields[0], huh.NewGroup(fields...))
	return cmd
}

func (s *regionStep) update(msg tea.Msg) (nav, tea.Cmd) {
	if s.form == nil {
		switch {
		case isKey(msg, keyBack):
			return backward, nil
		case isKey(msg, keyListSkip):
			s.st.useDocumentedRegions()
			return stay, s.build()
		}
		switch msg := msg.(type) {
		case regionsMsg, projectsMsg:
			if s.st.listsLoaded() {
				return stay, s.build()
			}
		case spinner.TickMsg:
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return stay, cmd
		}
		return stay, nil
	}
	done, back, cmd := s.form.update(msg)
	switch {
	case back:
		return backward, nil
	case done:
		return forward, nil
	}
	return stay, cmd
}

func (s *regionStep) view() string {
	if s.form == nil {
		return s.spin.View() + " Loading your regions and projects from the API…"
	}
	return lines(lines(s.notes...), s.form.View())
}

func (s *regionStep) keys() []key.Binding {
	if s.form == nil {
		return []key.Binding{keyListSkip, keyBack}
	}
	return append(s.form.keys(), keyBack)
}

func (s *regionStep) currentForm() *embeddedForm { return s.form }
