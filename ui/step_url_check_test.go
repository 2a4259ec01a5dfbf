package ui

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/importspec"
)

// toURLStep walks to the URL field with format picked in the list.
func toURLStep(t *testing.T, r *run, format string) {
	t.Helper()
	advance(t, r, stepCredentials)
	advance(t, r, stepRegion)
	r.p.waitFocus(t, "name")
	r.Type("web-base")
	for _, f := range []string{"name", "ostype", "osname"} {
		r.p.waitFocus(t, f)
		r.Send(keyEnterMsg)
	}
	r.p.waitFocus(t, "format")
	for _, f := range importspec.Formats {
		if f.Name == format {
			break
		}
		r.Send(keyDownMsg)
	}
	r.p.waitFor(t, "format "+format, func(s snapshot) bool { return s.spec.Format == format })
	for _, f := range []string{"format", "tag", "description"} {
		r.p.waitFocus(t, f)
		r.Send(keyEnterMsg)
	}
	r.p.waitFocus(t, "url")
}

// wantView fails unless every text is on the screen.
func wantView(t *testing.T, s snapshot, texts ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(s.view), " ")
	for _, text := range texts {
		if !strings.Contains(flat, text) {
			t.Errorf("screen lacks %q:\n%s", text, s.view)
		}
	}
}

const checkedQCOW2 = "Object checked: qcow2 (qcow2 v3; virtual size 20 GiB), 256 KiB"

// A check with nothing to say goes on at once, and the later steps say
// what it found.
func TestCheckCleanGoesOnAndSaysSo(t *testing.T) {
	check := newFakeCheck()
	r := startWizard(t, checkOptions(newFakeAPI(), check))
	toURLStep(t, r, "qcow2")
	r.Type("https://b.sg.ufileos.com/images/web.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	r.p.waitText(t, "✓ "+checkedQCOW2)
	r.Send(char('y'))
	r.p.waitStep(t, stepPreview)
	r.p.waitText(t, "✓ "+checkedQCOW2)
	if n := check.calls(); n != 1 || check.keys[0].PublicKey != testPublicKey || check.asked[0].Format != "qcow2" {
		t.Errorf("%d checks, asked %+v with keys %+v", n, check.asked, check.keys)
	}
}

// Warnings stay on the URL step until the next Enter; editing the URL
// drops them and checks again.
func TestCheckWarningsWaitForEnter(t *testing.T) {
	check := newFakeCheck()
	r := startWizard(t, checkOptions(newFakeAPI(), check))
	toURLStep(t, r, "qcow2")
	r.Type("https://b.sg.ufileos.com/unreachable.qcow2")
	r.Send(keyEnterMsg)
	warning := "could not reach the host from here (the host name does not resolve) — if the object should be reachable from here, check the URL's host"
	s := r.p.waitFor(t, "the warning under the field", func(s snapshot) bool {
		return s.focus == "url" && strings.Contains(strings.Join(strings.Fields(s.view), " "), warning)
	})
	if s.step != stepURL {
		t.Fatalf("left the URL step on a warning:\n%s", s.view)
	}

	r.Send(keyCtrlUMsg)
	r.Type("https://b.sg.ufileos.com/unreachable-too.qcow2")
	r.p.waitFor(t, "the old warning gone", func(s snapshot) bool {
		return strings.HasSuffix(s.spec.URL, "-too.qcow2") && !strings.Contains(s.view, "could not reach")
	})
	r.Send(keyEnterMsg)
	r.p.waitFor(t, "the new URL checked", func(s snapshot) bool {
		return check.calls() == 2 && s.focus == "url" && strings.Contains(s.view, "could not reach")
	})
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if n := check.calls(); n != 2 {
		t.Errorf("%d checks, want 2: Enter after the warnings goes on without checking again", n)
	}
}

// A qcow2 declared as VMDK blocks; "Set the format" fixes the draft, and
// the signed request carries the format the object really is.
func TestCheckFormatMismatchSetsFormat(t *testing.T) {
	check := newFakeCheck()
	r := startWizard(t, checkOptions(newFakeAPI(), check))
	toURLStep(t, r, "VMDK")
	r.Type("https://b.sg.ufileos.com/images/web.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "blocked")
	s := r.p.waitText(t, "Edit the URL")
	wantView(t, s, "✗ the object is qcow2 but the format given is VMDK", "Set the format to qcow2 (recommended)",
		"Continue anyway as VMDK", "esc edit the URL")
	if strings.Contains(s.view, "--skip-check") {
		t.Error("the wizard shows a command-line flag as the fix")
	}
	requireGolden(t, s.raw)

	r.Send(keyEnterMsg) // the first choice: set the format
	r.p.waitStep(t, stepAuth)
	r.p.waitText(t, "✓ "+checkedQCOW2)
	r.Send(char('y'))
	s = r.p.waitFor(t, "the preview", func(s snapshot) bool { return s.step == stepPreview && strings.Contains(s.view, "Signature") })
	if got := s.request.Params["Format"]; got != "qcow2" || s.spec.Format != "qcow2" {
		t.Errorf("request Format = %q, draft %q; want qcow2", got, s.spec.Format)
	}
	wantView(t, s, "Format qcow2", "✓ "+checkedQCOW2)
	if strings.Contains(s.view, "despite") || check.calls() != 1 {
		t.Errorf("%d checks; preview:\n%s", check.calls(), s.view)
	}
}

// "Continue anyway" keeps the declared format and says so on the preview.
func TestCheckFormatMismatchContinueAnyway(t *testing.T) {
	r := startWizard(t, checkOptions(newFakeAPI(), newFakeCheck()))
	toURLStep(t, r, "VMDK")
	r.Type("https://b.sg.ufileos.com/images/web.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "blocked")
	r.Send(keyDownMsg, keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	r.p.waitText(t, "! warning: continuing despite the object check: the object is qcow2 but the format given is VMDK")
	r.Send(char('y'))
	s := r.p.waitFor(t, "the preview", func(s snapshot) bool { return s.step == stepPreview && strings.Contains(s.view, "Submit") })
	wantView(t, s, "! warning: continuing despite the object check: the object is qcow2 but the format given is VMDK")
	if got := s.request.Params["Format"]; got != "VMDK" {
		t.Errorf("request Format = %q, want VMDK as declared", got)
	}
	if n := len(strings.Split(s.view, "\n")); n > 24 {
		t.Errorf("the preview is %d lines high", n)
	}
	// Back on the URL step the choice stands: Enter goes on unchecked.
	r.Send(keyEscMsg)
	r.p.waitStep(t, stepAuth)
	r.p.waitFocus(t, "auth")
	r.Send(keyEscMsg)
	s = r.p.waitFocus(t, "url")
	wantView(t, s, "(you chose to continue anyway)")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
}

// A missing object offers only editing or going on; Enter on the same URL
// checks again, and a fixed URL goes through.
func TestCheckNotFoundEditTheURL(t *testing.T) {
	check := newFakeCheck()
	r := startWizard(t, checkOptions(newFakeAPI(), check))
	toURLStep(t, r, "qcow2")
	r.Type("https://b.sg.ufileos.com/missing.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitFocus(t, "blocked")
	s := r.p.waitText(t, "Continue anyway")
	wantView(t, s, "✗ there is no object at that key (HTTP 404: file not exist) — check the key's spelling", "Edit the URL")
	if strings.Contains(s.view, "Set the format") {
		t.Errorf("a format fix offered for a missing object:\n%s", s.view)
	}
	r.Send(keyEnterMsg) // Edit the URL
	s = r.p.waitFocus(t, "url")
	wantView(t, s, "there is no object at that key")

	r.Send(keyEnterMsg) // the same URL: perhaps uploaded since
	r.p.waitFocus(t, "blocked")
	r.Send(keyEscMsg) // Esc leaves the choice for the field
	r.p.waitFocus(t, "url")
	r.Send(keyCtrlUMsg)
	r.Type("https://b.sg.ufileos.com/images/web.qcow2")
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	if n := check.calls(); n != 3 {
		t.Errorf("%d checks, want 3", n)
	}
}

// An answer to an abandoned check (the user stopped it and changed the
// URL) is dropped, even when it arrives while the new URL is checked.
func TestCheckStaleAnswerIgnored(t *testing.T) {
	check := newFakeCheck()
	check.ignoreCancel = true // a check slow to notice it was stopped
	old, cur := "https://b.sg.ufileos.com/images/old.qcow2", "https://b.sg.ufileos.com/unreachable.qcow2"
	oldGate, curGate := check.gate(old), check.gate(cur)
	r := startWizard(t, checkOptions(newFakeAPI(), check))
	toURLStep(t, r, "VMDK") // so the old answer, if taken, would block
	r.Type(old)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Checking the object…")
	r.Send(keyEscMsg)
	r.p.waitFocus(t, "url")
	r.Send(keyCtrlUMsg)
	r.Type(cur)
	r.Send(keyEnterMsg)
	r.p.waitFor(t, "the new check", func(s snapshot) bool {
		return s.spec.URL == cur && strings.Contains(s.view, "Checking the object…")
	})

	close(oldGate)
	s := r.p.waitFor(t, "the old answer", func(s snapshot) bool { return s.checkAnswers == 1 })
	if s.step != stepURL || !strings.Contains(s.view, "Checking the object…") {
		t.Fatalf("the stale answer was taken:\n%s", s.view)
	}
	close(curGate)
	s = r.p.waitFor(t, "the new answer", func(s snapshot) bool { return s.focus == "url" && strings.Contains(s.view, "could not reach") })
	if strings.Contains(s.view, "the object is qcow2") {
		t.Errorf("the old URL's verdict is shown:\n%s", s.view)
	}
}

// Esc stops a check in progress (its request is cancelled) and returns to
// the field.
func TestCheckEscStops(t *testing.T) {
	check := newFakeCheck()
	url := "https://b.sg.ufileos.com/images/web.qcow2"
	check.gate(url)
	r := startWizard(t, checkOptions(newFakeAPI(), check))
	toURLStep(t, r, "qcow2")
	r.Type(url)
	r.Send(keyEnterMsg)
	wantView(t, r.p.waitText(t, "Checking the object…"), "esc stop checking")
	r.Send(keyEscMsg)
	s := r.p.waitFocus(t, "url")
	if s.step != stepURL {
		t.Fatalf("Esc left the step:\n%s", s.view)
	}
	r.p.waitFor(t, "the check cancelled", func(snapshot) bool { return check.cancels() == 1 })
}

// Ctrl+C while the object is checked quits at once and sends nothing.
func TestCheckCtrlCSendsNothing(t *testing.T) {
	api, check := newFakeAPI(), newFakeCheck()
	url := "https://b.sg.ufileos.com/images/web.qcow2"
	check.gate(url)
	r := startWizard(t, checkOptions(api, check))
	toURLStep(t, r, "qcow2")
	r.Type(url)
	r.Send(keyEnterMsg)
	r.p.waitText(t, "Checking the object…")
	r.Send(keyCtrlCMsg)
	res := r.result(t)
	if !res.Interrupted || res.MaybeSent || res.ImageID != "" {
		t.Errorf("result = %+v", res)
	}
	if n := api.sendCount(); n != 0 {
		t.Errorf("SendImport called %d times", n)
	}
}

// In demo mode the URL filled in is the caller's demo object for the
// format, which is not a UFile host and need not say so.
func TestCheckDemoFillsInCheckableObject(t *testing.T) {
	check := newFakeCheck()
	opts := checkOptions(newFakeAPI(), check)
	opts.Demo = true
	opts.Spec.AllowHTTP = true
	hooks(opts).demoObjectURL = func(format string) string {
		return "http://127.0.0.1:9/ufile/demo-bucket/images/disk." + strings.ToLower(format)
	}
	r := startWizard(t, opts)
	toURLStep(t, r, "qcow2")
	s := r.p.get()
	if s.spec.URL != "http://127.0.0.1:9/ufile/demo-bucket/images/disk.qcow2" || strings.Contains(s.view, "warning") {
		t.Errorf("demo URL %q:\n%s", s.spec.URL, s.view)
	}
	r.Send(keyEnterMsg)
	r.p.waitStep(t, stepAuth)
	r.p.waitText(t, checkedQCOW2)
}
