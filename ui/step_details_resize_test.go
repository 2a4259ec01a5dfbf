package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// The OS type list grows with the window, not only shrinks.
func TestDetailsOsListFollowsTheWindow(t *testing.T) {
	r := startWizard(t, testOptions(newFakeAPI(), envStore()))
	r.Send(tea.WindowSizeMsg{Width: 40, Height: 12})
	gotoStep(t, r, stepDetails)
	r.p.waitFocus(t, "name")
	r.Send(typed("x\r")...)
	s := r.p.waitFocus(t, "ostype")
	if strings.Contains(s.view, "Windows") {
		t.Fatalf("the whole list fits in 40×12?\n%s", s.view)
	}
	r.Send(tea.WindowSizeMsg{Width: 200, Height: 60})
	r.p.waitFor(t, "the whole OS list", func(s snapshot) bool {
		return s.width == 200 && strings.Contains(s.view, "Windows") && strings.Contains(s.view, "Other")
	})
}
