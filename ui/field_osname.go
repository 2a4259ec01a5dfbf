package ui

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/uimport/uimport/importspec"
)

// osNameField is the OS name input, kept consistent with the OS type: the
// API requires OsName Other exactly when OsType is Other, so then the field
// holds Other and is skipped. Otherwise the type's first example is shown
// as a grey placeholder, not as the value: typing replaces it (it never
// becomes a prefix of what is typed), ctrl+e takes it whole, and Enter on
// an empty field uses it. The draft's OsName is what would be sent: what
// was typed, else the suggestion.
type osNameField struct {
	*huh.Input
	spec       *importspec.Spec
	typed      string // the input's text
	suggestion string
	lastType   string
	// detectedType and detectedName are what the image holds: the
	// suggestion while that type is chosen.
	detectedType, detectedName string
}

func newOsNameField(spec *importspec.Spec) *osNameField {
	f := &osNameField{spec: spec, lastType: spec.OsType}
	f.Input = huh.NewInput().Key("osname").Title("OS name").Validate(func(v string) error {
		return importspec.ValidateOsName(f.spec.OsType, cmp.Or(v, f.suggestion))
	})
	// A name given before (a flag, or typed on an earlier visit) is the
	// user's, unless it is only one of the type's examples.
	if spec.OsName != importspec.OsTypeOther && !slices.Contains(importspec.OsNameExamples(spec.OsType), spec.OsName) {
		f.typed = spec.OsName
	}
	f.refresh()
	return f
}

// refresh shows the text, placeholder, description and suggestions for the
// current type, and sets the draft's OsName. It runs on the UI goroutine:
// huh's *Func variants evaluate in commands, on other goroutines, and would
// race with the draft.
func (f *osNameField) refresh() {
	f.suggestion = ""
	if ex := importspec.OsNameExamples(f.spec.OsType); len(ex) > 0 {
		f.suggestion = ex[0]
	}
	if f.detectedName != "" && f.detectedType == f.spec.OsType {
		f.suggestion = f.detectedName
	}
	// Through empty first: the text input keeps its cursor where it was
	// unless the old value was empty, and Ctrl+U would then clear only part.
	var blank string
	f.Input.Value(&blank)
	f.Input.Value(&f.typed)
	f.Input.Placeholder(f.suggestion)
	f.Input.Suggestions(importspec.OsNameExamples(f.spec.OsType))
	if f.locked() {
		f.Input.Description("Fixed to Other: the API requires it when the OS type is Other.")
	} else {
		f.Input.Description(describe("osname"))
	}
	f.store()
}

// withDetected makes the image's OS name the suggestion for its type; a
// name that is only that suggestion is not taken as typed.
func (f *osNameField) withDetected(osType, name string) *osNameField {
	f.detectedType, f.detectedName = osType, name
	if f.typed == name {
		f.typed = ""
	}
	f.refresh()
	return f
}

// store puts the name that would be sent into the draft.
func (f *osNameField) store() {
	if f.locked() {
		f.spec.OsName = importspec.OsTypeOther
		return
	}
	f.spec.OsName = cmp.Or(f.typed, f.suggestion)
}

func (f *osNameField) locked() bool { return f.spec.OsType == importspec.OsTypeOther }

// Skip makes huh pass over the field while it is locked.
func (f *osNameField) Skip() bool { return f.locked() }

// Update returns the wrapper, not the inner Input, so the form keeps it.
func (f *osNameField) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if f.locked() {
			return f, nil
		}
		// ctrl+e on an empty field takes the placeholder: the text input
		// only completes text that was begun.
		if k.String() == "ctrl+e" && f.typed == "" && f.suggestion != "" {
			f.typed = f.suggestion
			f.refresh()
			return f, nil
		}
	}
	_, cmd := f.Input.Update(msg)
	f.store()
	return f, cmd
}

// GetValue is the name that would be sent (the suggestion while nothing
// is typed), which the line-by-line mode offers to keep.
func (f *osNameField) GetValue() any { return f.spec.OsName }

// warning is shown under the field while the name looks unlike the
// console's (it is sent anyway).
func (f *osNameField) warning() string {
	if f.locked() {
		return ""
	}
	return importspec.OsNameWarning(f.spec.OsName)
}

// sync follows a change of the OS type; it reports whether there was one.
// A name taken from the old type's examples follows the type too.
func (f *osNameField) sync() bool {
	if f.spec.OsType == f.lastType {
		return false
	}
	if slices.Contains(importspec.OsNameExamples(f.lastType), f.typed) {
		f.typed = ""
	}
	f.lastType = f.spec.OsType
	f.refresh()
	return true
}

// RunAccessible asks only when the type leaves a choice. The name that
// would be sent is the default: an empty line keeps it.
func (f *osNameField) RunAccessible(w io.Writer, r io.Reader) error {
	f.sync()
	if f.locked() {
		_, err := fmt.Fprintln(w, "OS name: Other (required when the OS type is Other).")
		return err
	}
	f.typed = f.spec.OsName
	f.Input.Value(&f.typed)
	err := f.Input.RunAccessible(w, r)
	f.store()
	return err
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
