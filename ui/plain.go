package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/keystore"
)

// errInterrupted ends accessible mode when the context ends (Ctrl+C).
var errInterrupted = importer.ErrInterrupted

// plainRunner is accessible mode: the same steps as the full screen, asked
// line by line with huh's accessible prompts and plain text, nothing
// redrawn, so screen readers and dumb terminals can follow.
type plainRunner struct {
	st      *wizardState
	w       io.Writer
	r       *eofReader
	restore func() // puts the terminal back if Ctrl+C hits a hidden prompt
	file    uploadTarget
	fcheck  *fileCheck
}

func runPlain(ctx context.Context, opts Options) (Result, error) {
	st := newState(ctx, opts)
	// No escape codes at all: a screen reader would read them out.
	p := &plainRunner{st: st, w: &colorprofile.Writer{Forward: opts.Out, Profile: colorprofile.NoTTY}, r: &eofReader{r: opts.In}, restore: func() {}}
	if opts.IO != nil {
		p.restore = opts.IO.SaveInput()
	}
	err := p.run()
	res := st.result()
	switch {
	case errors.Is(err, errInterrupted) || ctx.Err() != nil:
		p.restore()
		res.Interrupted = true
	case errors.Is(err, errCancelled):
		res.Cancelled = true
	case err != nil:
		return res, err
	}
	return res, nil
}

// errInputEnded ends accessible mode when its input closes.
var errInputEnded = errors.New("the input ended before the wizard did; nothing more was asked")

// eofReader remembers that its reader ended.
type eofReader struct {
	r   io.Reader
	mu  sync.Mutex
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.mu.Lock()
		e.eof = true
		e.mu.Unlock()
	}
	return n, err
}

// Fd lets huh hide a password typed on the terminal underneath.
func (e *eofReader) Fd() uintptr {
	if f, ok := e.r.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0) // no terminal: hidden prompts fail instead of echoing
}

func (e *eofReader) ended() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.eof
}

// errCancelled ends accessible mode when the user chose Cancel.
var errCancelled = errors.New("cancelled")

func (p *plainRunner) say(format string, a ...any) { fmt.Fprintf(p.w, format+"\n", a...) }

// interruptible runs a blocking prompt; Ctrl+C ends the context, and with it
// the wait, even though the read itself cannot be interrupted.
func (p *plainRunner) interruptible(prompt func() error) error {
	done := make(chan error, 1)
	go func() {
		// huh's numbered prompt indexes its options with the last line it
		// read when input ends after a wrong answer ("abc", "99"), and
		// panics: out of input, that is the input ending, not a crash.
		defer func() {
			if r := recover(); r != nil {
				if !p.r.ended() {
					panic(r)
				}
				done <- errInputEnded
			}
		}()
		done <- prompt()
	}()
	select {
	case err := <-done:
		return err
	case <-p.st.ctx.Done():
		return errInterrupted
	}
}

// noKeepNote are the fields whose value means nothing read out: a secret,
// or a choice whose options are listed anyway.
var noKeepNote = map[string]bool{"private": true, "next": true, "blocked": true,
	"source": true, "fileblocked": true, "uploadfailed": true}

// ask runs fields one by one, each after its one-line explanation and the
// value an empty answer keeps.
func (p *plainRunner) ask(fields ...huh.Field) error {
	for _, f := range fields {
		if s, ok := f.(interface{ sync() bool }); ok {
			s.sync()
		}
		if l, ok := f.(interface{ locked() bool }); !ok || !l.locked() {
			if h := explanations[f.GetKey()]; h != "" {
				p.say("%s", h)
			}
			if v, ok := f.GetValue().(string); ok && v != "" && !noKeepNote[f.GetKey()] {
				p.say("Press Enter to keep: %s", v)
			}
		}
		f.Init()
		f.Focus()
		if err := p.interruptible(func() error { return f.RunAccessible(p.w, p.r) }); err != nil {
			return err
		}
		if p.r.ended() {
			// huh takes end of input as "use the default"; answering every
			// later question that way could loop or submit unseen.
			return errInputEnded
		}
		p.say("")
	}
	return nil
}

func (p *plainRunner) run() error {
	p.say("uimport: import a disk image from UFile as a UHost custom image.")
	p.say("Answer each question and press Enter. Ctrl+C quits at any time; nothing is sent until you choose Submit.")
	if l := p.st.demoIntro(); l != "" {
		p.say("%s", l)
	}
	if err := p.credentials(); err != nil {
		return err
	}
	p.lists()
	for {
		if err := p.edit(); err != nil {
			return err
		}
		if err := p.review(); err != nil {
			if errors.Is(err, errEdit) {
				continue
			}
			return err
		}
		if err := p.submit(); err != nil {
			if errors.Is(err, errEdit) {
				continue
			}
			return err
		}
		if err := p.wait(); err != nil {
			return err
		}
		return p.copy()
	}
}

// errEdit sends the user back to change their answers.
var errEdit = errors.New("edit")

func (p *plainRunner) credentials() error {
	p.say("Looking for API keys: environment, OS keyring, ~/.ucloud…")
	res, err := p.st.be.Keys().Resolve(p.st.ctx)
	for _, n := range res.Notes {
		p.say("Note: %s", n)
	}
	if p.st.ctx.Err() != nil {
		return errInterrupted
	}
	if err == nil {
		p.st.keysFound(res)
		p.say("Using %s; public key %s.", p.st.keySource, keystore.MaskPublicKey(res.PublicKey))
		return nil
	}
	p.say("No API keys found for profile %q. Copy them from the console: Account → API keys.", p.st.opts.Profile)
	in := keyInput{Save: p.st.be.SavesKeys()}
	if err := p.ask(keyFields(&in, p.st.be.SavesKeys())...); err != nil {
		return err
	}
	_, save, err := p.st.keysTyped(&in)
	if err != nil {
		return err
	}
	if save != nil {
		p.say("%s", saveOutcome(p.st.be.Keys().Save(p.st.ctx, *save), p.st.opts.Profile))
	}
	return nil
}

// lists loads the pick lists; the wizard's background loads, in line.
func (p *plainRunner) lists() {
	p.say("Asking the API for your regions and projects…")
	regions, projects := p.st.lists()
	p.st.apply(regions())
	p.st.apply(projects())
}

// edit asks every field, keeping earlier answers as defaults.
func (p *plainRunner) edit() error {
	if err := p.imageFirst(); err != nil {
		return err
	}
	regionF, notes := regionFields(p.st, 40)
	for _, n := range notes {
		if n != "" {
			p.say("Note: %s.", n)
		}
	}
	if err := p.ask(regionF...); err != nil {
		return err
	}
	about, storage, _ := detailsFields(p.st, 9)
	if err := p.ask(append(about, storage...)...); err != nil {
		return err
	}
	p.st.prefillDemoURL()
	if err := p.askImage(); err != nil {
		return err
	}
	p.say("The image must be:")
	for _, r := range imageRequirements(p.st.spec.OsType) {
		p.say("  - %s", r)
	}
	for yes := p.st.authorised; ; {
		if err := p.ask(authField(&yes)); err != nil {
			return err
		}
		if p.st.authorised = yes; yes {
			return nil
		}
		p.say("Without your authorisation the import cannot go on. Answer y, or press Ctrl+C to quit.")
	}
}
