package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
)

// poller asks DescribeImage for one image with a growing interval; the
// full screen and accessible mode share it. follow does the asking and the
// backoff, as it does for the CLI's --wait; the wizard only schedules polls
// as Bubble Tea ticks instead of sleeping.
type poller struct {
	api     API
	req     apiclient.DescribeImageRequest
	backoff *follow.Backoff
}

func newPoller(st *wizardState) *poller {
	return &poller{api: st.api, backoff: follow.NewBackoff(st.be.PollInterval(), follow.DefaultMaxWait),
		req: apiclient.DescribeImageRequest{Region: st.spec.Region, ProjectId: st.spec.ProjectID, ImageId: st.imageID}}
}

// state returns the image's state, or "" while the API does not list it yet.
func (p *poller) state(ctx context.Context) (string, error) {
	im, err := follow.DescribeOne(ctx, p.api, p.req)
	return im.State, err
}

// next returns the wait before the next poll and grows the one after.
func (p *poller) next() time.Duration { return p.backoff.Next() }

type imageStateMsg struct {
	state string
	err   error
}

type pollMsg struct{}

// waitStep follows the new image until it is Available or Unavailable;
// q stops waiting (the image keeps building).
type waitStep struct {
	st      *wizardState
	spin    spinner.Model
	poll    *poller
	started time.Time
	elapsed time.Duration // frozen once settled
	lastErr error
	polls   int
}

func newWaitStep(st *wizardState) *waitStep { return &waitStep{st: st, spin: newSpinner()} }

func (s *waitStep) enter() tea.Cmd {
	if follow.Final(s.st.state) {
		return nil // back from the copy screen: the build is over
	}
	s.poll, s.started, s.polls = newPoller(s.st), s.st.opts.Now(), 0
	return tea.Batch(s.spin.Tick, s.ask())
}

func (s *waitStep) ask() tea.Cmd {
	ctx, p := s.st.ctx, s.poll
	return func() tea.Msg {
		st, err := p.state(ctx)
		return imageStateMsg{state: st, err: err}
	}
}

func (s *waitStep) update(msg tea.Msg) (nav, tea.Cmd) {
	switch msg := msg.(type) {
	case imageStateMsg:
		s.polls++
		s.lastErr = msg.err
		if s.st.observed(msg.state) {
			s.elapsed = s.st.opts.Now().Sub(s.started)
			return stay, nil
		}
		return stay, tea.Tick(s.poll.next(), func(time.Time) tea.Msg { return pollMsg{} })
	case pollMsg:
		return stay, s.ask()
	case spinner.TickMsg:
		if follow.Final(s.st.state) {
			return stay, nil // the spinner stops: nothing redraws while idle
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return stay, cmd
	}
	if s.st.copyOffered() && isKey(msg, keyCopy) {
		return forward, nil
	}
	if follow.Final(s.st.state) && isKey(msg, keyDone) {
		return finish, nil
	}
	if isKey(msg, keyDetach) {
		return finish, nil
	}
	return stay, nil
}

func (s *waitStep) view() string {
	w := s.st.width
	head := fmt.Sprintf("%s  %s", labelStyle.Render("ImageId"), s.st.imageID)
	switch s.st.state {
	case apiclient.StateAvailable:
		return lines(head, okBox.Render(okStyle.Render("✓ Available")+fmt.Sprintf(" after %s: ready to create hosts from.", round(s.elapsed))),
			copyOffer(s.st))
	case apiclient.StateUnavailable:
		return lines(head, errBox.Render(lines(errStyle.Render("✗ Unavailable")+fmt.Sprintf(" after %s: the import failed.", round(s.elapsed)),
			wrapTo("Check the file is a system disk in the declared format (MBR, virtio drivers), then import again.", w-4))))
	}
	state := s.st.state
	if state == "" {
		state = "not listed yet"
	}
	status := fmt.Sprintf("%s State: %s · %s elapsed · checked %d×", s.spin.View(), state, round(s.st.opts.Now().Sub(s.started)), s.polls)
	var problem string
	if s.lastErr != nil {
		problem = warnLine(truncate("could not check ("+s.lastErr.Error()+"); trying again", w-12))
	}
	return lines(head, status, problem, wrapTo("Building usually takes a few minutes. q stops waiting; the image keeps building.", w))
}

// round shows whole seconds: sub-second digits would redraw for nothing.
func round(d time.Duration) time.Duration { return d.Round(time.Second) }

func (s *waitStep) keys() []key.Binding {
	if s.st.copyOffered() {
		return []key.Binding{keyCopy, keyDone}
	}
	if follow.Final(s.st.state) {
		return []key.Binding{keyDone}
	}
	return []key.Binding{keyDetach}
}
