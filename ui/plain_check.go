package ui

// askURL asks for the URL and checks the object, as the full screen does:
// a blocker asks what to do, and choosing to edit asks (and checks) again.
func (p *plainRunner) askURL() error {
	for {
		if err := p.ask(urlField(p.st)); err != nil {
			return err
		}
		for _, w := range urlWarnings(p.st) {
			p.say("Warning: %s.", w)
		}
		edit, err := p.checkObject()
		if err != nil || !edit {
			return err
		}
	}
}

// checkObject checks the object in line, unless it was checked as it is
// now and cleared, and reports whether the user wants to edit the URL.
// Warnings are only said: unlike on the full screen, they stay in the
// scrollback above the next question.
func (p *plainRunner) checkObject() (edit bool, err error) {
	if !p.st.checksObjects() || p.st.uploadedURL() != nil {
		return false, nil // an object just uploaded was verified against the file
	}
	c := p.st.checked()
	if c == nil || !c.cleared() {
		p.say("Checking the object… (reading its first bytes only)")
		check := p.st.startCheck()
		var msg checkDoneMsg
		if err := p.interruptible(func() error { msg = check(); return nil }); err != nil {
			return false, err
		}
		if !p.st.acceptCheck(msg) {
			return false, nil // cannot happen: nothing else starts checks here
		}
		c = p.st.checked()
	}
	if s := checkedSummary(c); s != "" {
		p.say("%s", s)
	}
	for _, b := range c.blocking() {
		p.say("Problem: %s", problemText(b))
	}
	for _, w := range c.report.Warnings() {
		p.say("Warning: %s", problemText(w))
	}
	for !c.cleared() {
		choice := ""
		if err := p.ask(blockedField(p.st, &choice)); err != nil {
			return false, err
		}
		if p.st.answerCheck(choice) {
			return true, nil
		}
		if choice == choiceFormat {
			p.say("Format set to %s.", p.st.spec.Format)
		}
	}
	return false, nil
}

// sayCheckNote repeats, under the request, what the check found.
func (p *plainRunner) sayCheckNote() {
	for _, l := range imageNote(p.st) {
		p.say("%s", l)
	}
	for _, l := range uploadedNote(p.st.uploadedURL()) {
		p.say("%s", l)
	}
	c := p.st.checked()
	if c == nil {
		return
	}
	if s := checkedSummary(c); s != "" {
		p.say("%s", s)
	}
	for _, b := range c.overridden {
		p.say("Warning: continuing despite the object check: %s", b.Message)
	}
}
