package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/safetext"
)

// copy offers, once the image is Available, to copy it to other regions,
// then follows every copy, saying each state once.
func (p *plainRunner) copy() error {
	if !p.st.copyOffered() {
		return nil
	}
	var ids []string
	for _, c := range p.st.copyTargets() {
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	p.say("The image can be copied to: %s.", strings.Join(ids, ", "))
	var answer string
	field := huh.NewInput().Key("copyto").Title("Copy to other regions? Type them, comma-separated; empty for none:").
		Value(&answer).Validate(func(v string) error {
		regions := importer.SplitRegions([]string{v})
		for _, r := range regions {
			if !slices.Contains(ids, r) {
				return fmt.Errorf("%s is not one of the regions listed above", safetext.Escape(r))
			}
		}
		if len(regions) == 0 {
			return nil
		}
		return importer.CheckTargets(regions)
	})
	if err := p.ask(field); err != nil {
		return err
	}
	regions := importer.SplitRegions([]string{answer})
	if len(regions) == 0 {
		p.say("No copies.")
		return nil
	}
	yes := true
	if err := p.ask(huh.NewConfirm().Key("copynow").Title("Copy to " + strings.Join(regions, ", ") + " now? One CopyCustomImage each, sent once.").Value(&yes)); err != nil {
		return err
	}
	if !yes {
		p.say("No copies.")
		return nil
	}
	p.say("Copying; each copy is followed in its own region. Ctrl+C stops waiting (the copies go on).")
	last := map[string]string{}
	run := p.st.startCopy(regions, func(e imagecopy.Event) {
		p.st.copyEvent(e) // events never overlap, and this goroutine waits for the copy
		p.sayCopyEvent(e, last)
	})
	msg := run()
	if p.st.ctx.Err() != nil {
		return errInterrupted
	}
	p.st.copyFinished(msg)
	if msg.err != nil {
		p.say("%s", errorText(msg.err))
		return nil
	}
	p.say("%s", strings.TrimSuffix(copySummary(p.st.copies.rows), " Enter finishes."))
	return nil
}

// sayCopyEvent says what a copy event means, a state only when it changes.
func (p *plainRunner) sayCopyEvent(e imagecopy.Event, last map[string]string) {
	switch e.Kind {
	case imagecopy.EventSent:
		p.say("Copy to %s sent: ImageId %s. State: %s.", e.Region, safetext.Escape(e.ImageID), apiclient.StateCopying)
		last[e.Region] = apiclient.StateCopying
	case imagecopy.EventSendFailed:
		p.say("Copy to %s not made. %s", e.Region, errorText(e.Err))
	case imagecopy.EventProgress:
		if e.State != "" && e.State != last[e.Region] {
			last[e.Region] = e.State
			p.say("%s: %s after %s.", e.Region, e.State, round(e.Elapsed))
		}
	case imagecopy.EventDone:
		var ue *imagecopy.UnavailableError
		switch {
		case errors.As(e.Err, &ue):
			p.say("%s: the copy became Unavailable. Copy to %s again, or contact support with %s.", e.Region, e.Region, safetext.Escape(e.ImageID))
		case e.Err != nil && p.st.ctx.Err() == nil:
			p.say("%s: %s", e.Region, errorText(e.Err))
		case e.State != last[e.Region] && e.State != "":
			p.say("%s: %s.", e.Region, e.State)
		}
	}
}
