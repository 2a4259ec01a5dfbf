package ui

import (
	"strings"
	"time"

	"charm.land/huh/v2"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/keystore"
)

// review prints the signed request and asks what to do with it.
func (p *plainRunner) review() error {
	req := p.st.prepare()
	p.say("The signed request, sent only if you choose Submit:")
	p.say("%s %s", req.Method, req.URL)
	for _, kv := range req.SortedParams() {
		if kv[0] == "PublicKey" {
			kv[1] = keystore.MaskPublicKey(kv[1]) + " (masked)"
		}
		p.say("  %s: %s", kv[0], kv[1])
	}
	p.say("Signed with your private key, which is never shown or sent.")
	p.sayCheckNote()
	for {
		choice := "submit"
		sel := huh.NewSelect[string]().Key("next").Title("What now?").Value(&choice).Options(
			huh.NewOption("Submit: send ImportCustomImage once", "submit"),
			huh.NewOption("Show the same request as a curl command", "curl"),
			huh.NewOption("Change something", "edit"),
			huh.NewOption("Cancel: quit without sending", "cancel"))
		if err := p.ask(sel); err != nil {
			return err
		}
		switch choice {
		case "curl":
			p.st.wantCurl()
			p.say("%s", req.Curl())
		case "edit":
			return errEdit
		case "cancel":
			return errCancelled
		default:
			p.st.arm()
			return nil
		}
	}
}

// submit sends once and reports; after a failure the user may edit.
func (p *plainRunner) submit() error {
	p.say("Sending ImportCustomImage… (once; never retried automatically)")
	msg := p.st.submit()()
	if p.st.ctx.Err() != nil {
		return errInterrupted // st.sending stays set: it may have been sent
	}
	p.st.submitted(msg)
	if msg.err == nil {
		p.say("Import submitted. ImageId: %s. State: Making.", msg.imageID)
		return nil
	}
	p.say("%s", errorText(msg.err))
	again := "edit"
	sel := huh.NewSelect[string]().Key("next").Title("What now?").Value(&again).Options(
		huh.NewOption("Change something and submit again", "edit"),
		huh.NewOption("Quit", "quit"))
	if err := p.ask(sel); err != nil {
		return err
	}
	if again == "edit" {
		return errEdit
	}
	return nil
}

// errorText is errorBox without the box (the plain writer drops styles).
func errorText(err error) string {
	return strings.Join(iostreams.ErrorLines("Error:", importer.Explain(err), -1), "\n")
}

// wait offers to follow the build, printing the state only when it changes.
func (p *plainRunner) wait() error {
	if p.st.imageID == "" {
		return nil
	}
	yes := true
	if err := p.ask(huh.NewConfirm().Key("wait").Title("Wait until the image is built?").Value(&yes)); err != nil || !yes {
		return err
	}
	p.say("Checking every few seconds; Ctrl+C stops waiting (the image keeps building).")
	poll, start, last := newPoller(p.st), p.st.opts.Now(), ""
	for {
		state, err := poll.state(p.st.ctx)
		switch {
		case p.st.ctx.Err() != nil:
			return errInterrupted
		case err != nil:
			p.say("Could not check (%v); trying again.", err)
		case state != "" && state != last:
			last = state
			p.say("State: %s after %s.", state, round(p.st.opts.Now().Sub(start)))
		}
		if p.st.observed(state) {
			return nil
		}
		select {
		case <-p.st.ctx.Done():
			return errInterrupted
		case <-time.After(poll.next()):
		}
	}
}
