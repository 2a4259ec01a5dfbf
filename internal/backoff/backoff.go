// Package backoff is the one wait-between-attempts rule of uimport: it
// grows by Factor from Base up to Max, with optional jitter so that many
// workers or clients do not retry in step. API retries, upload retries and
// the import poller all use it. Given a rand source, it is deterministic
// (tests); without one it uses the global generator.
package backoff

import (
	"math/rand/v2"
	"time"
)

// Policy describes the waits. The zero Factor means 2; the zero Max means
// no cap.
type Policy struct {
	Base   time.Duration // the first wait
	Max    time.Duration // the cap; 0: none
	Factor float64       // growth per attempt; 0 means 2
	// Jitter is the share of each wait that is random: 0 waits exactly,
	// 0.5 waits between half and all of it.
	Jitter float64
}

// Delay is the wait after failed attempt n (1-based): Base·Factor^(n-1),
// capped at Max, then jittered. r may be nil.
func (p Policy) Delay(n int, r *rand.Rand) time.Duration {
	return p.jitter(p.raw(n), r)
}

// raw is the wait before jitter, computed without overflow.
func (p Policy) raw(n int) time.Duration {
	f := p.Factor
	if f <= 1 {
		f = 2
	}
	d := float64(p.Base)
	limit := float64(p.Max)
	if p.Max <= 0 {
		limit = float64(24 * time.Hour) // "no cap" still never overflows
	}
	for i := 1; i < n && d < limit; i++ {
		d *= f
	}
	d = min(d, limit)
	if d <= 0 {
		return 0
	}
	return time.Duration(d)
}

func (p Policy) jitter(d time.Duration, r *rand.Rand) time.Duration {
	j := min(max(p.Jitter, 0), 1)
	if d <= 0 || j == 0 {
		return d
	}
	spread := time.Duration(float64(d) * j)
	if spread <= 0 {
		return d
	}
	var x time.Duration
	if r != nil {
		x = time.Duration(r.Int64N(int64(spread) + 1))
	} else {
		x = rand.N(spread + 1)
	}
	return d - spread + x
}

// Backoff hands out the waits of one sequence of attempts.
type Backoff struct {
	p Policy
	n int
	r *rand.Rand
}

// New starts a sequence; r may be nil.
func New(p Policy, r *rand.Rand) *Backoff { return &Backoff{p: p, r: r} }

// Next returns the wait after the next failed attempt.
func (b *Backoff) Next() time.Duration {
	b.n++
	return b.p.Delay(b.n, b.r)
}

// Attempts is how many waits Next has handed out.
func (b *Backoff) Attempts() int { return b.n }

// Reset starts the sequence again (after a success).
func (b *Backoff) Reset() { b.n = 0 }
