package ui

import (
	"time"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/safetext"
)

// plainProgressEvery spaces accessible mode's progress lines: enough to
// show life, few enough for a screen reader to keep up.
const plainProgressEvery = 5 * time.Second

// askImage asks where the image is, then for the URL or the file, as the
// full screen's URL step does.
func (p *plainRunner) askImage() error {
	if p.st.imageAnswered() { // asked first, and inspected
		if p.st.useChosenImage(&p.file) == sourceFile {
			return p.askFile()
		}
		return p.askURL()
	}
	if !p.st.offersFile() || p.st.opts.Spec.URL != "" {
		return p.askURL()
	}
	if f := p.st.opts.File; f.Path != "" { // --file answered the question
		if p.file.path == "" {
			p.file = uploadTarget{path: f.Path, bucket: f.Bucket, key: f.Key}
		}
		return p.askFile()
	}
	source := sourceURL
	if p.st.uploadedURL() != nil {
		source = sourceFile
	}
	if err := p.ask(sourceField(&source)); err != nil {
		return err
	}
	if source == sourceURL {
		return p.askURL()
	}
	return p.askFile()
}

// askFile asks for the file, bucket and key, checks the file and uploads
// it; the draft's URL is then the uploaded object's.
func (p *plainRunner) askFile() error {
	if p.file.path == "" {
		if path := p.st.demoFile(); path != "" {
			p.file.path = path
			p.say("A generated sample image is filled in.")
		}
	}
	if load := p.st.loadBuckets(); load != nil {
		p.say("Listing the buckets your keys can see…")
		if err := p.interruptible(func() error { p.st.apply(load()); return nil }); err != nil {
			return err
		}
	}
	for {
		if n := bucketNote(p.st); n != "" {
			p.say("Note: %s", n)
		}
		if err := p.ask(fileFields(p.st, &p.file)...); err != nil {
			return err
		}
		t := p.file.settle()
		p.file = t
		if again, err := p.checkFile(t); err != nil || again {
			if err != nil {
				return err
			}
			continue
		}
		if r := p.st.uploadedTo(t); r != nil {
			p.st.spec.URL = r.url
			return nil
		}
		if again, err := p.upload(t); err != nil || !again {
			return err
		}
	}
}

// checkFile says what the file check found and, for a blocker, asks what
// to do; again means the user wants another file.
func (p *plainRunner) checkFile(t uploadTarget) (again bool, err error) {
	for {
		c := p.st.checkFile(p.fcheck, t.path)
		p.fcheck = c
		if c.summary != "" {
			p.say("File checked: %s", c.summary)
		}
		if c.blocking != nil {
			p.say("Problem: %s", c.blocking)
		}
		for _, w := range c.warnings {
			p.say("Warning: %s", w)
		}
		if c.cleared() {
			return false, nil
		}
		choice := ""
		if err := p.ask(fileBlockedField(p.st, c, &choice)); err != nil {
			return false, err
		}
		if p.st.answerFileCheck(c, choice) {
			return true, nil
		}
		if choice == choiceFormat {
			p.say("Format set to %s.", p.st.spec.Format)
		}
	}
}

// upload sends the file with a progress line every plainProgressEvery.
// After a failure the user may retry (finished parts stay) or choose
// another file (again).
func (p *plainRunner) upload(t uploadTarget) (again bool, err error) {
	for {
		p.say("Uploading %s. Ctrl+C stops it; running uimport again with the same file, bucket and key resumes it.", t)
		next, last := p.st.startUpload(t), time.Time{}
		var done uploadDoneMsg
		for done.gen == 0 {
			switch m := next().(type) { // Upload returns when Ctrl+C ends the context
			case uploadProgressMsg:
				if m.Retry != "" {
					p.say("%s %s", p.st.opts.Now().Format("15:04:05"), safetext.Escape(m.Retry))
				} else if now := time.Now(); now.Sub(last) >= plainProgressEvery {
					last = now
					p.say("%s %s", p.st.opts.Now().Format("15:04:05"), progressFigures(m))
				}
				next = m.next
			case uploadDoneMsg:
				done = m
			}
		}
		if p.st.ctx.Err() != nil {
			return false, errInterrupted // left in flight: the result says it stopped
		}
		p.st.acceptUpload(done)
		if done.err == nil {
			for _, l := range uploadedNote(p.st.upload.last) {
				p.say("%s", l)
			}
			return false, nil
		}
		if importer.UploadStarted(done.err) {
			p.say("Problem: the upload did not finish: %s", safetext.Escape(done.err.Error()))
		} else {
			p.say("Problem: nothing was uploaded: %s", safetext.Escape(done.err.Error()))
		}
		if h := errorHint(done.err); h != "" {
			p.say("%s", h)
		}
		choice := ""
		if err := p.ask(uploadProblemField(&choice, done.err)); err != nil {
			return false, err
		}
		if choice != choiceRetry {
			return true, nil
		}
	}
}
