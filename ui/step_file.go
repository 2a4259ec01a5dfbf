package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/iostreams"
)

// filePhase is where "a file on this machine" is.
type filePhase int

const (
	fileListing   filePhase = iota // waiting for the bucket list; Esc types it instead
	fileForm                       // path, bucket, key
	fileChecking                   // the file check runs; Esc goes back to the file
	fileBlocked                    // the file check found a blocker
	fileUploading                  // the bar; Esc stops
	fileFailed                     // retry, or back to the file
)

// fileFlow is the URL step when the image is a local file: ask for it,
// check its format, upload it, and go on with the object's URL.
type fileFlow struct {
	st       *wizardState
	phase    filePhase
	form     *embeddedForm
	target   uploadTarget // as typed
	check    *fileCheck
	choice   string
	spin     spinner.Model
	bar      progress.Model
	prog     uploadProgressMsg
	started  time.Time
	stopping bool   // Esc was pressed; waiting for the upload to return
	failure  error  // the last upload's error
	note     string // one line above the form: why the user is back there
}

func newFileFlow(st *wizardState) *fileFlow {
	return &fileFlow{st: st, bar: iostreams.ProgressBar()}
}

// enter starts the flow: the demo's sample is filled in, and the form
// waits for the bucket list if it is on its way.
func (f *fileFlow) enter() tea.Cmd {
	if f.target.path == "" {
		if p := f.st.demoFile(); p != "" {
			f.target.path = p
			f.note = "A generated sample image is filled in: press Enter."
		}
	}
	if f.st.be.Features().ListsBuckets && !f.st.buckets.done {
		f.phase, f.spin = fileListing, newSpinner()
		return tea.Batch(f.st.loadBuckets().cmd(), f.spin.Tick)
	}
	return f.edit()
}

func (f *fileFlow) edit() tea.Cmd {
	f.phase = fileForm
	fields := fileFields(f.st, &f.target)
	var cmd tea.Cmd
	f.form, cmd = newEmbeddedForm(f.st, 5, fields[0], huh.NewGroup(fields...))
	f.form.checks = map[string]func(string) error{"file": checkLocalPath}
	return cmd
}

func (f *fileFlow) update(msg tea.Msg) (nav, tea.Cmd) {
	switch f.phase {
	case fileListing:
		return f.updateListing(msg)
	case fileChecking:
		return f.updateChecking(msg)
	case fileUploading:
		return f.updateUploading(msg)
	}
	done, back, cmd := f.form.update(msg)
	switch {
	case back && f.phase == fileForm:
		return backward, nil
	case back: // from a choice, Esc returns to the file
		return stay, f.edit()
	case !done:
		return stay, cmd
	case f.phase == fileBlocked:
		return f.blockedChoice()
	case f.phase == fileFailed:
		if f.choice == choiceRetry {
			return f.upload()
		}
		return stay, f.edit()
	}
	f.note = ""
	return f.confirm()
}

func (f *fileFlow) updateListing(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case bucketsMsg:
		if f.st.buckets.done {
			return stay, f.edit()
		}
	case spinner.TickMsg:
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return stay, cmd
	case tea.KeyPressMsg:
		if key.Matches(msg, keyEsc) {
			f.st.buckets = listLoad[string]{err: errSkipped, done: true}
			return stay, f.edit()
		}
	}
	return stay, nil
}

// confirm is Enter on the last field: check the file, then upload it.
// The same file already uploaded to the same place is not sent again.
func (f *fileFlow) confirm() (nav, tea.Cmd) {
	t := f.target.settle()
	f.target = t
	if c := f.st.checkedFile(f.check, t.path); c != nil {
		f.check = c
		return f.checked()
	}
	f.phase, f.spin = fileChecking, newSpinner()
	return stay, tea.Batch(f.st.fileChecker(t.path).cmd(), f.spin.Tick)
}

func (f *fileFlow) updateChecking(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case fileCheckedMsg:
		// An answer for another file or format (Esc, then another
		// confirm) is dropped; the one asked for last will come.
		if msg.check.path != f.target.path || msg.check.format != f.st.spec.Format {
			return stay, nil
		}
		f.check = msg.check
		return f.checked()
	case spinner.TickMsg:
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return stay, cmd
	case tea.KeyPressMsg:
		if key.Matches(msg, keyEsc) {
			return stay, f.edit()
		}
	}
	return stay, nil
}

// checked goes on from a finished file check: ask about a blocker, or
// upload (unless this file is already where it goes).
func (f *fileFlow) checked() (nav, tea.Cmd) {
	t := f.target
	if !f.check.cleared() {
		f.phase = fileBlocked
		field := fileBlockedField(f.st, f.check, &f.choice)
		var cmd tea.Cmd
		f.form, cmd = newEmbeddedForm(f.st, lipgloss.Height(f.checkView())+2, field, huh.NewGroup(field))
		return stay, cmd
	}
	if r := f.st.uploadedTo(t); r != nil {
		f.st.spec.URL = r.url
		return forward, nil
	}
	return f.upload()
}

func (f *fileFlow) blockedChoice() (nav, tea.Cmd) {
	if f.st.answerFileCheck(f.check, f.choice) {
		return stay, f.edit()
	}
	return f.confirm() // checked again as a new format declared
}

func (f *fileFlow) upload() (nav, tea.Cmd) {
	f.phase, f.stopping, f.failure = fileUploading, false, nil
	f.prog, f.started = uploadProgressMsg{}, time.Now()
	return stay, f.st.startUpload(f.target).cmd()
}

func (f *fileFlow) updateUploading(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case uploadProgressMsg:
		if msg.gen == f.st.upload.gen {
			if msg.Retry == "" {
				msg.Retry = f.prog.Retry // the last retry stays said until the next
			}
			f.prog = msg
		}
		return stay, msg.next.cmd()
	case uploadDoneMsg:
		if !f.st.acceptUpload(msg) {
			return stay, nil
		}
		switch {
		case msg.err == nil:
			return forward, nil
		case f.stopping:
			f.note = "Upload stopped. Confirm the file again to resume it."
			return stay, f.edit()
		}
		f.failure, f.phase = msg.err, fileFailed
		field := uploadProblemField(&f.choice, msg.err)
		var cmd tea.Cmd
		f.form, cmd = newEmbeddedForm(f.st, lipgloss.Height(f.failedView())+2, field, huh.NewGroup(field))
		return stay, cmd
	case tea.KeyPressMsg:
		if key.Matches(msg, keyStopUpload) && !f.stopping {
			f.stopping = true
			f.st.upload.stop() // the answer comes as uploadDoneMsg
		}
	}
	return stay, nil
}

// checkView is what the file check found.
func (f *fileFlow) checkView() string {
	c, w := f.check, f.st.width
	if c == nil {
		return ""
	}
	out := []string{wrapTo(labelStyle.Render("File   ")+" "+safetext.Escape(c.path), w), labelStyle.Render("Format ") + " " + f.st.spec.Format}
	if c.summary != "" {
		out = append(out, wrapTo("File checked: "+c.summary, w))
	}
	if c.blocking != nil {
		msg := c.blocking.Error()
		if c.overridden {
			msg += " (you chose to continue anyway)"
		}
		out = append(out, wrapTo(errLine(msg), w))
	}
	for _, warn := range c.warnings {
		out = append(out, wrapTo(warnLine(warn), w))
	}
	return strings.Join(out, "\n")
}

func (f *fileFlow) failedView() string {
	out := []string{wrapTo(labelStyle.Render("Upload ")+" "+safetext.Escape(f.target.String()), f.st.width), blankLine,
		wrapTo(errLine(f.failure.Error()), f.st.width)}
	if h := errorHint(f.failure); h != "" {
		out = append(out, wrapTo(faintStyle.Render(h), f.st.width))
	}
	return strings.Join(out, "\n")
}

// progressView is the bar and its figures: bytes, rate, ETA, parts.
func (f *fileFlow) progressView() string {
	p, w := f.prog, f.st.width
	frac := 0.0
	if p.Total > 0 {
		frac = min(float64(p.Done)/float64(p.Total), 1)
	}
	f.bar.SetWidth(max(min(w-8, 60), 10))
	figures := progressFigures(p)
	status := "Uploading… Esc stops it; running the wizard again with the same file resumes it."
	switch {
	case f.stopping:
		status = "Stopping the upload…"
	case p.Total > 0 && p.Done >= p.Total:
		status = "All sent: UFile is assembling and verifying the object…"
	}
	return lines(wrapTo(labelStyle.Render("Upload ")+" "+f.target.String(), w), checkedLine(f.check, w), blankLine,
		f.bar.ViewAs(frac)+fmt.Sprintf(" %3.0f%%", frac*100), truncate(figures, w), retryLine(p.Retry, w), blankLine, wrapTo(faintStyle.Render(status), w))
}

// retryLine says the last retry under the figures, if there was one.
func retryLine(retry string, w int) string {
	if retry == "" {
		return ""
	}
	return wrapTo(warnLine(retry), w)
}

func checkedLine(c *fileCheck, w int) string {
	if c == nil || c.summary == "" {
		return ""
	}
	return wrapTo(okLine("File checked: "+c.summary), w)
}

func (f *fileFlow) view() string {
	switch f.phase {
	case fileListing:
		return f.spin.View() + " Listing the buckets your keys can see… (Esc: type the name instead)"
	case fileChecking:
		return f.spin.View() + " Checking " + safetext.Escape(f.target.path) + "… (a compressed image is read through once; Esc: back to the file)"
	case fileUploading:
		return f.progressView()
	case fileBlocked:
		return lines(f.checkView(), blankLine, f.form.View())
	case fileFailed:
		return lines(f.failedView(), blankLine, f.form.View())
	}
	var top []string
	if f.note != "" {
		top = append(top, wrapTo(noteLine(f.note), f.st.width))
	}
	if n := bucketNote(f.st); n != "" {
		top = append(top, wrapTo(noteLine(n), f.st.width))
	}
	return lines(strings.Join(top, "\n"), f.form.View(), f.form.liveProblem())
}

func (f *fileFlow) keys() []key.Binding {
	switch f.phase {
	case fileListing:
		return []key.Binding{keyTypeBucket}
	case fileChecking:
		return []key.Binding{keyBack}
	case fileUploading:
		return []key.Binding{keyStopUpload}
	case fileForm:
		return append(f.form.keys(), keyBack)
	}
	return append(f.form.keys(), keyEditFile)
}

// currentForm is nil while listing or uploading: no field takes keys then.
func (f *fileFlow) currentForm() *embeddedForm {
	if f.phase == fileListing || f.phase == fileUploading {
		return nil
	}
	return f.form
}
