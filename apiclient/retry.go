package apiclient

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy retries read-only actions on transient failures, with
// exponential backoff and jitter. ImportCustomImage never goes through it.
type RetryPolicy struct {
	Attempts  int           // total attempts, at least 1
	BaseDelay time.Duration // the first wait; doubles each time
	MaxDelay  time.Duration // 0: no cap
}

// DefaultRetry is three attempts over about two seconds.
var DefaultRetry = RetryPolicy{Attempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 5 * time.Second}

func (p RetryPolicy) do(ctx context.Context, attempt func() error) error {
	n := max(p.Attempts, 1)
	delay := p.BaseDelay
	var err error
	for i := 0; i < n; i++ {
		if err = attempt(); err == nil || !IsRetryable(err) || i == n-1 {
			return err
		}
		wait := delay/2 + rand.N(delay/2+1) // jitter keeps many clients apart
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		delay *= 2
		if p.MaxDelay > 0 { // without this check a zero MaxDelay removed every wait
			delay = min(delay, p.MaxDelay)
		}
	}
	return err
}
