package backoff

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	p := Policy{Base: time.Second, Max: 30 * time.Second}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i, w := range want {
		if got := p.Delay(i+1, nil); got != w*time.Second {
			t.Errorf("attempt %d: %v, want %v", i+1, got, w*time.Second)
		}
	}
	slow := New(Policy{Base: 2 * time.Second, Max: 30 * time.Second, Factor: 1.5}, nil)
	for _, w := range []time.Duration{2000, 3000, 4500, 6750} {
		if got := slow.Next(); got != w*time.Millisecond {
			t.Errorf("×1.5: %v, want %v", got, w*time.Millisecond)
		}
	}
	if (Policy{Base: time.Hour}).Delay(1000, nil) <= 0 || (Policy{}).Delay(3, nil) != 0 {
		t.Error("no cap overflowed, or zero base waited")
	}
}

func TestJitterBoundsAndDeterminism(t *testing.T) {
	p := Policy{Base: 100 * time.Millisecond, Max: time.Second, Jitter: 0.5}
	a := New(p, rand.New(rand.NewPCG(1, 2)))
	b := New(p, rand.New(rand.NewPCG(1, 2)))
	for i := 1; i <= 20; i++ {
		da, db := a.Next(), b.Next()
		raw := p.raw(i)
		if da != db || da < raw/2 || da > raw {
			t.Fatalf("attempt %d: %v and %v, raw %v", i, da, db, raw)
		}
	}
	for range 100 {
		if d := p.Delay(2, nil); d < 100*time.Millisecond || d > 200*time.Millisecond {
			t.Fatalf("global jitter %v out of bounds", d)
		}
	}
	a.Reset()
	if a.Attempts() != 0 {
		t.Error("Reset")
	}
}
