package upload

import (
	"context"
	"crypto/sha1"
	"fmt"
	"strconv"
	"sync"

	"github.com/uimport/uimport/ufile"
)

// sequencer hands out turns 0, 1, 2, ... in order. Workers take jobs from
// one channel in job order, so when job j waits for its turn, every
// earlier job is already held by a worker that will take its own turn
// before sending anything: no deadlock, and reads stay parallel.
type sequencer struct {
	mu     sync.Mutex
	cond   *sync.Cond
	turn   int
	broken bool
}

func newSequencer() *sequencer {
	s := &sequencer{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// wait blocks until it is job j's turn; false means the run was stopped.
func (s *sequencer) wait(j int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.turn != j && !s.broken {
		s.cond.Wait()
	}
	return !s.broken
}

func (s *sequencer) next() {
	s.mu.Lock()
	s.turn++
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *sequencer) abort() {
	s.mu.Lock()
	s.broken = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

// sendPart sends part p until UFile stores it with an ETag matching sum,
// retrying failures with backoff within the retry budget. A part PUT is
// idempotent (docs/UFILE.md), so sending it again is always safe.
func (r *run) sendPart(ctx context.Context, p int, data []byte, sum [sha1.Size]byte) (string, error) {
	o := &r.u.o
	mismatches := 0
	start := o.Now()
	for i := 1; ; i++ {
		etag, err := r.attemptPart(ctx, p, data)
		if err == nil {
			switch ufile.CheckPartETag(etag, sum) {
			case ufile.PartMatch:
				return etag, nil
			case ufile.PartUnrecognised:
				// docs/UFILE.md: the part ETag's form is inferred. An unknown
				// form proves nothing; the object check after Finish
				// still decides.
				r.odd.Store(true)
				return etag, nil
			}
			if mismatches++; mismatches > maxMismatches {
				return "", &IntegrityError{Bucket: o.Bucket, Key: o.Key, What: "part " + strconv.Itoa(p) + "'s ETag",
					Want: ufile.PartETag(data), Got: etag}
			}
			err = fmt.Errorf("part %d: the ETag does not match the bytes sent", p)
			i-- // a mismatch has its own budget
		} else {
			if ctx.Err() != nil {
				return "", context.Cause(ctx)
			}
			if err = r.u.normalize(err); !retryable(err) || i >= o.Retry.Attempts {
				return "", err
			}
		}
		wait, ok := r.u.nextWait(start, max(i, 1))
		if !ok {
			return "", r.u.stoppedRetrying(err)
		}
		r.u.emitRetry(RetryEvent{Op: "part " + strconv.Itoa(p), Attempt: i + 1, Attempts: o.Retry.Attempts, Wait: wait, Reason: retryReason(err)})
		if o.Sleep(ctx, wait) != nil {
			return "", context.Cause(ctx)
		}
	}
}

// attemptPart is one PUT of part p, watched for stalls.
func (r *run) attemptPart(ctx context.Context, p int, data []byte) (string, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	body := &partBody{data: data, m: r.m}
	body.last.Store(nowNano())
	stop := r.u.watch(body, cancel)
	etag, err := r.u.c.UploadPart(actx, r.u.o.Key, r.id, p, body, int64(len(data)))
	stop()
	r.m.inFlight.Add(-int64(body.off)) // Done counts it once recorded
	return etag, err
}
