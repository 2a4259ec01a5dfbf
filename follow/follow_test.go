package follow

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// script answers DescribeImage with one scripted reply per call.
type script struct {
	replies []reply
	calls   int
}

type reply struct {
	state string // "" = not visible
	err   error
}

func (s *script) DescribeImage(_ context.Context, r apiclient.DescribeImageRequest) (apiclient.DescribeImageResult, error) {
	rep := s.replies[min(s.calls, len(s.replies)-1)]
	s.calls++
	if rep.err != nil {
		return apiclient.DescribeImageResult{}, rep.err
	}
	if rep.state == "" {
		return apiclient.DescribeImageResult{}, nil
	}
	return apiclient.DescribeImageResult{TotalCount: 1, ImageSet: []apiclient.Image{{ImageId: r.ImageId, State: rep.state}}}, nil
}

// fakeClock advances only when the poller sleeps, so tests take no time.
type fakeClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }
func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func opts(c *fakeClock) Options {
	return Options{Region: "sg", ImageID: "uimage-1", Now: c.Now, Sleep: c.Sleep}
}

func TestWaitsThroughInvisibleTransientAndMaking(t *testing.T) {
	c := &fakeClock{now: time.Unix(0, 0)}
	s := &script{replies: []reply{
		{state: ""},
		{err: &apiclient.HTTPError{Action: "DescribeImage", StatusCode: 503, Status: "503"}},
		{state: "Making"}, {state: "Making"},
		{state: "Available"},
	}}
	var states []string
	img, err := Wait(context.Background(), s, opts(c), func(u Update) { states = append(states, u.State) })
	if err != nil || img.State != "Available" {
		t.Fatalf("Wait = %+v, %v", img, err)
	}
	if s.calls != 5 || len(states) != 5 {
		t.Errorf("calls = %d, updates = %v", s.calls, states)
	}
	// Backoff grows from 2 s by half each time and never exceeds 30 s.
	want := []time.Duration{2 * time.Second, 3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond}
	for i, d := range want {
		if c.sleeps[i] != d {
			t.Errorf("sleep %d = %v, want %v", i, c.sleeps[i], d)
		}
	}
}

func TestUnavailableIsFinal(t *testing.T) {
	c := &fakeClock{now: time.Unix(0, 0)}
	img, err := Wait(context.Background(), &script{replies: []reply{{state: "Unavailable"}}}, opts(c), nil)
	if err != nil || img.State != "Unavailable" {
		t.Fatalf("Wait = %+v, %v", img, err)
	}
}

func TestRefusalEndsAtOnce(t *testing.T) {
	c := &fakeClock{now: time.Unix(0, 0)}
	s := &script{replies: []reply{{err: &apiclient.APIError{Action: "DescribeImage", RetCode: 171}}}}
	_, err := Wait(context.Background(), s, opts(c), nil)
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || s.calls != 1 {
		t.Fatalf("err = %v after %d calls; want the APIError at once", err, s.calls)
	}
}

func TestLimitAndCap(t *testing.T) {
	c := &fakeClock{now: time.Unix(0, 0)}
	o := opts(c)
	o.Limit = 10 * time.Minute
	_, err := Wait(context.Background(), &script{replies: []reply{{state: "Making"}}}, o, nil)
	if !errors.Is(err, ErrTimedOut) {
		t.Fatalf("err = %v, want ErrTimedOut", err)
	}
	for _, d := range c.sleeps {
		if d > 30*time.Second {
			t.Fatalf("slept %v, more than the 30 s cap", d)
		}
	}
	if c.now.Sub(time.Unix(0, 0)) > o.Limit {
		t.Errorf("waited %v, past the limit", c.now.Sub(time.Unix(0, 0)))
	}
}

func TestContextCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := Options{Region: "sg", ImageID: "uimage-1"}
	_, err := Wait(ctx, &script{replies: []reply{{state: "Making"}}}, o, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
