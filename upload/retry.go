package upload

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/uimport/uimport/internal/backoff"
	"github.com/uimport/uimport/ufile"
)

// errStalled is the cause given to a request that moved no byte for the
// stall timeout: treated as a network failure, so retried.
var errStalled = errors.New("no progress on the connection")

// retryable: a part PUT, like every other call here, may be repeated after
// a network failure, a 5xx or a 429 (UFILE.md), and after a stall.
func retryable(err error) bool { return ufile.IsRetryable(err) || errors.Is(err, errStalled) }

// normalize turns a stalled request (which the client sees as its context
// ending) into the transient failure it is, so callers and the CLI see a
// network error, not an interruption.
func (u *uploader) normalize(err error) error {
	var e *ufile.Error
	if errors.Is(err, errStalled) && errors.As(err, &e) && e.Kind == ufile.KindCanceled {
		c := *e
		c.Kind = ufile.KindTransient
		c.Err = errors.New("no byte moved for " + u.o.StallTimeout.String())
		return &c
	}
	return err
}

// backoff is the wait after failed attempt i (1-based): exponential from
// BaseDelay, capped at MaxDelay, with jitter so workers spread out.
func (u *uploader) backoff(i int) time.Duration {
	p := u.o.Retry
	return backoff.Policy{Base: p.BaseDelay, Max: p.MaxDelay, Jitter: 0.5}.Delay(i, nil)
}

// retry runs call until it succeeds, fails for good, or the budget is
// spent. Each attempt gets timeout (a stall gives errStalled; 0: the call
// watches for stalls itself). The error returned is the last one; ctx
// ending returns ctx's cause.
func (u *uploader) retry(ctx context.Context, timeout time.Duration, call func(context.Context) error) error {
	for i := 1; ; i++ {
		actx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			actx, cancel = context.WithTimeoutCause(ctx, timeout, errStalled)
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
		if u.o.Sleep(ctx, u.backoff(i)) != nil {
			return context.Cause(ctx)
		}
	}
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
