package ui

import (
	"fmt"
	"io"
	"slices"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/importspec"
)

// osNameField is the OS name input, kept consistent with the OS type: the
// API requires OsName Other exactly when OsType is Other, so then the field
// holds Other and is skipped; and a name that was only a suggestion follows
// the type as the user moves through the list.
type osNameField struct {
	*huh.Input
	spec     *importspec.Spec
	lastType string
}

func newOsNameField(spec *importspec.Spec) *osNameField {
	in := huh.NewInput().Key("osname").Title("OS name").
		Validate(keepOr(&spec.OsName, func(v string) error { return importspec.ValidateOsName(spec.OsType, v) }))
	f := &osNameField{Input: in, spec: spec, lastType: spec.OsType}
	if spec.OsName == "" {
		f.follow("")
	}
	f.refresh()
	return f
}

// refresh shows the value, description and suggestions for the current
// type. It runs on the UI goroutine: huh's *Func variants evaluate in
// commands, on other goroutines, and would race with the draft.
func (f *osNameField) refresh() {
	// Through empty first: the text input keeps its cursor where it was
	// unless the old value was empty, and Ctrl+U would then clear only part.
	var blank string
	f.Input.Value(&blank)
	f.Input.Value(&f.spec.OsName)
	f.Input.Suggestions(importspec.OsNameExamples(f.spec.OsType))
	if f.locked() {
		f.Input.Description("Fixed to Other: the API requires it when the OS type is Other.")
	} else {
		f.Input.Description(describe("osname"))
	}
}

func (f *osNameField) locked() bool { return f.spec.OsType == importspec.OsTypeOther }

// Skip makes huh pass over the field while it is locked.
func (f *osNameField) Skip() bool { return f.locked() }

// Update returns the wrapper, not the inner Input, so the form keeps it.
func (f *osNameField) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok && f.locked() {
		return f, nil
	}
	_, cmd := f.Input.Update(msg)
	return f, cmd
}

// sync follows a change of the OS type; it reports whether there was one.
func (f *osNameField) sync() bool {
	if f.spec.OsType == f.lastType {
		return false
	}
	f.follow(f.lastType)
	f.lastType = f.spec.OsType
	f.refresh()
	return true
}

// follow sets the name for the current type: Other for Other, else the
// type's first suggestion when the name was empty, Other or a suggestion
// for prevType. A name the user typed is kept.
func (f *osNameField) follow(prevType string) {
	s := f.spec
	switch {
	case s.OsType == importspec.OsTypeOther:
		s.OsName = importspec.OsTypeOther
	case s.OsName == "" || s.OsName == importspec.OsTypeOther || slices.Contains(importspec.OsNameExamples(prevType), s.OsName):
		if ex := importspec.OsNameExamples(s.OsType); len(ex) > 0 {
			s.OsName = ex[0]
		}
	}
}

// RunAccessible asks only when the type leaves a choice.
func (f *osNameField) RunAccessible(w io.Writer, r io.Reader) error {
	f.sync()
	if f.locked() {
		_, err := fmt.Fprintln(w, "OS name: Other (required when the OS type is Other).")
		return err
	}
	return f.Input.RunAccessible(w, r)
}

// keepOr accepts an empty answer when there is a value to keep: accessible
// prompts keep the current value on an empty line. On the full screen the
// value and the answer are the same, so it changes nothing there.
func keepOr(cur *string, check func(string) error) func(string) error {
	return func(v string) error {
		if v == "" && *cur != "" {
			return nil
		}
		return check(v)
	}
}
