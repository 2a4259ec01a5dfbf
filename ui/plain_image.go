package ui

// imageFirst is accessible mode's image step: where the image is, a look
// inside it with each stage said, what it found, and what now.
func (p *plainRunner) imageFirst() error {
	if !p.st.asksImageFirst() {
		return nil
	}
	p.st.prefillImage()
	for {
		if p.st.image.source == "" || p.st.inspected() == nil {
			if err := p.chooseImage(); err != nil {
				return err
			}
			if err := p.inspectImage(); err != nil {
				return err
			}
			if p.st.inspected() == nil { // stopped before it answered
				if p.st.ctx.Err() != nil {
					return errInterrupted
				}
				continue
			}
		}
		ii := p.st.inspected()
		for _, l := range imageSummaryLines(ii) {
			p.say("%s", l)
		}
		for _, l := range findingLines(ii, true) {
			p.say("%s", l)
		}
		for {
			choice := ""
			if err := p.ask(imageChoiceField(p.st, &choice)); err != nil {
				return err
			}
			if p.st.answerImage(choice) {
				p.st.image.last = nil // ask for the image again
				break
			}
			if choice == choiceImageOS {
				p.say("OS type %s, OS name %s.", p.st.spec.OsType, p.st.spec.OsName)
			}
			if p.st.imageDone() {
				return nil
			}
		}
	}
}

// chooseImage asks where the image is and, unless a demo image was
// picked, its path or URL.
func (p *plainRunner) chooseImage() error {
	choice := p.st.image.source
	if err := p.ask(imageSourceField(p.st, &choice)); err != nil {
		return err
	}
	if p.st.answerSource(choice) {
		return nil
	}
	if err := p.ask(imageEntryField(p.st)); err != nil {
		return err
	}
	p.st.image.path = expandHome(p.st.image.path)
	return nil
}

// inspectImage runs the inspection in line, saying each stage.
func (p *plainRunner) inspectImage() error {
	p.say("Looking inside the image (only what is needed is read)…")
	run, stages := p.st.startInspect()
	done := make(chan struct{})
	go func() {
		for s := range stages {
			p.say("  %s", s)
		}
		close(done)
	}()
	var msg inspectDoneMsg
	err := p.interruptible(func() error { msg = run(); return nil })
	if err != nil {
		p.st.stopInspect()
		return err
	}
	<-done
	p.st.acceptInspect(msg)
	return nil
}
