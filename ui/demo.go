package ui

import (
	"charm.land/lipgloss/v2"

	"github.com/uimport/uimport/importspec"
)

// Demo mode in the wizard is only a banner and pre-filled values; what the
// demo does differently (keys, hosts, polling) is the Backend's.

// demoHeader is the header's right-hand side: DEMO on every screen, with
// a word on what it means when there is room; "" outside demo mode.
func (st *wizardState) demoHeader(room int) string {
	if !st.opts.Demo {
		return ""
	}
	right := demoBadge() + faintStyle.Render(" simulator, no real cloud")
	if lipgloss.Width(right) > room {
		right = demoBadge()
	}
	return right
}

// demoAuto reports whether the URL field still holds the demo URL filled
// in (auto), for the note that says so.
func (st *wizardState) demoAuto(auto string) bool { return st.opts.Demo && st.spec.URL == auto }

// demoIntro is accessible mode's first word on the demo.
func (st *wizardState) demoIntro() string {
	if !st.opts.Demo {
		return ""
	}
	return "DEMO: this uses the built-in API simulator; nothing reaches a real cloud."
}

// demoKeysLine says whose keys these are in demo mode.
func (st *wizardState) demoKeysLine() string {
	if !st.opts.Demo {
		return ""
	}
	return demoBadge() + " keys of the built-in simulator: nothing reaches a real cloud."
}

// prefillDemo fills what a newcomer trying --demo would otherwise have to
// invent, so Enter alone gets through the wizard. The URL is filled later,
// once region and format are known.
func (st *wizardState) prefillDemo() {
	if st.opts.Demo && st.spec.Name == "" {
		st.spec.Name = "demo-image"
	}
}

// demoURL is the URL the demo fills in: one of the backend's own objects
// when it has one (the object check really reads it), else a made-up UFile
// URL that fits the chosen region and format, so the demo shows no
// warnings.
func (st *wizardState) demoURL() string {
	if u := st.be.DemoObjectURL(st.spec.Format); u != "" {
		return u
	}
	ext := ".qcow2"
	for _, f := range importspec.Formats {
		if f.Name == st.spec.Format {
			ext = f.Extensions[0]
		}
	}
	return "https://uimport-demo." + importspec.UFileLabel(st.spec.Region) + ".ufileos.com/images/disk" + ext
}

// prefillDemoURL fills the demo URL into an empty URL field.
func (st *wizardState) prefillDemoURL() {
	if st.opts.Demo && st.spec.URL == "" {
		st.spec.URL = st.demoURL()
	}
}

// isDemoURL reports whether url is the one the demo filled in: it needs no
// warnings, and is replaced when region or format change.
func (st *wizardState) isDemoURL(url string) bool {
	return st.opts.Demo && url != "" && (url == st.demoURL() || st.isDemoImage(url))
}

// autoDemoURL is the demo URL to fill in when the field is empty or still
// holds the one filled in before (auto), else "".
func (st *wizardState) autoDemoURL(auto string) string {
	if !st.opts.Demo || (st.spec.URL != "" && st.spec.URL != auto) {
		return ""
	}
	return st.demoURL()
}

// demoFile is the demo's sample image for an empty file field, or "".
func (st *wizardState) demoFile() string {
	if !st.opts.Demo {
		return ""
	}
	p, err := st.be.DemoFile()
	if err != nil {
		return ""
	}
	return p
}
