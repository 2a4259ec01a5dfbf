package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/uimport/uimport/internal/backoff"
	"github.com/uimport/uimport/ufile"
)

// errStalled is the cause given to a request that moved no byte for the
// stall timeout: treated as a network failure, so retried.
var errStalled = errors.New("no progress on the connection")

// errNoAnswer is the cause given to a request without a body that got no
// answer within RequestTimeout: also a network failure.
var errNoAnswer = errors.New("no answer in time")

// retryable: a part PUT, like every other call here, may be repeated after
// a network failure, a 5xx or a 429 (docs/UFILE.md), a stall or a timeout.
func retryable(err error) bool {
	return ufile.IsRetryable(err) || errors.Is(err, errStalled) || errors.Is(err, errNoAnswer)
}

// normalize turns a stalled or timed-out request (which the client sees
// as its context ending) into the transient failure it is, so callers and
// the CLI see a network error, not an interruption.
func (u *uploader) normalize(err error) error {
	var e *ufile.Error
	if !errors.As(err, &e) || e.Kind != ufile.KindCanceled {
		return err
	}
	c := *e
	switch {
	case errors.Is(err, errStalled):
		c.Err = errors.New("no byte moved for " + u.o.StallTimeout.String())
	case errors.Is(err, errNoAnswer):
		c.Err = errors.New("no answer within " + u.o.RequestTimeout.String())
	default:
		return err
	}
	c.Kind = ufile.KindTransient
	return &c
}

// backoff is the wait after failed attempt i (1-based): exponential from
// BaseDelay, capped at MaxDelay, with jitter so workers spread out.
func (u *uploader) backoff(i int) time.Duration {
	p := u.o.Retry
	return backoff.Policy{Base: p.BaseDelay, Max: p.MaxDelay, Jitter: 0.5}.Delay(i, nil)
}

// retry runs call until it succeeds, fails for good, or the budget (the
// attempts, and RetryFor in time) is spent. Each attempt gets timeout (a
// timeout gives errNoAnswer; 0: the call watches for stalls itself).
// Every retry is reported as a RetryEvent naming op. The error returned
// is the last one; ctx ending returns ctx's cause.
func (u *uploader) retry(ctx context.Context, op string, timeout time.Duration, call func(context.Context) error) error {
	start := u.o.Now()
	for i := 1; ; i++ {
		actx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			actx, cancel = context.WithTimeoutCause(ctx, timeout, errNoAnswer)
		}
		err := call(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		err = u.normalize(err)
		if !retryable(err) || i >= u.o.Retry.Attempts {
			return err
		}
		wait, ok := u.nextWait(start, i)
		if !ok {
			return u.stoppedRetrying(err)
		}
		u.emitRetry(RetryEvent{Op: op, Attempt: i + 1, Attempts: u.o.Retry.Attempts, Wait: wait, Reason: retryReason(err)})
		if u.o.Sleep(ctx, wait) != nil {
			return context.Cause(ctx)
		}
	}
}

// stoppedRetrying notes that RetryFor ended the retries of err.
func (u *uploader) stoppedRetrying(err error) error {
	return fmt.Errorf("gave up after retrying for %s: %w", u.o.RetryFor, err)
}

// nextWait is the wait after failed attempt i of a request first tried at
// start; false when waiting would take it past RetryFor.
func (u *uploader) nextWait(start time.Time, i int) (time.Duration, bool) {
	wait := u.backoff(i)
	return wait, u.o.Now().Sub(start)+wait <= u.o.RetryFor
}

// partBody feeds one attempt's bytes to the HTTP client, counting them for
// progress and noting when the connection last took any (for the stall
// watchdog). A fresh one is made per attempt.
type partBody struct {
	data []byte
	off  int
	m    *meter
	last atomic.Int64 // UnixNano of the last Read
}

func (b *partBody) Read(p []byte) (int, error) {
	b.last.Store(time.Now().UnixNano())
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	b.m.sent.Add(int64(n))
	b.m.inFlight.Add(int64(n))
	return n, nil
}

// watch cancels ctx with errStalled once body has not been read for the
// stall timeout. Only bytes moving count: a slow link that keeps moving is
// never cut, while a dead one is noticed within the timeout. The wait for
// the answer after the last byte gets the same timeout.
func (u *uploader) watch(body *partBody, cancel context.CancelCauseFunc) (stop func()) {
	stall := u.o.StallTimeout
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(max(stall/8, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if time.Since(time.Unix(0, body.last.Load())) >= stall {
					cancel(errStalled)
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

func nowNano() int64 { return time.Now().UnixNano() }
