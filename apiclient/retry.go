package apiclient

import (
	"context"
	"time"

	"github.com/uimport/uimport/internal/backoff"
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

// backoff is the shared wait rule: doubling from BaseDelay, capped at
// MaxDelay, half of each wait random so many clients stay apart.
func (p RetryPolicy) backoff() backoff.Policy {
	return backoff.Policy{Base: p.BaseDelay, Max: p.MaxDelay, Jitter: 0.5}
}

func (p RetryPolicy) do(ctx context.Context, attempt func() error) error {
	n := max(p.Attempts, 1)
	b := backoff.New(p.backoff(), nil)
	var err error
	for i := 0; i < n; i++ {
		if err = attempt(); err == nil || !IsRetryable(err) || i == n-1 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(b.Next()):
		}
	}
	return err
}
