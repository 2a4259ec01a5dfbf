package upload

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/ufile"
)

// RetryEvent says that a request failed and will be sent again, and why:
// a Progress with Retry set carries one, once, so the caller can say
// "retrying part 3 (2/8): connection refused" instead of a frozen bar.
type RetryEvent struct {
	Op       string        // "part 3", "InitiateMultipartUpload", "HEAD" ...
	Attempt  int           // the attempt about to be made, from 2
	Attempts int           // the most attempts this request gets
	Wait     time.Duration // before that attempt
	Reason   string        // short and escaped: "connection refused", "HTTP 503"
}

// String is the line a plain renderer prints.
func (e RetryEvent) String() string {
	return fmt.Sprintf("retrying %s (%d/%d) in %s: %s", e.Op, e.Attempt, e.Attempts, e.Wait.Round(100*time.Millisecond), e.Reason)
}

// retryReason names a failure in a few words for a RetryEvent.
func retryReason(err error) string {
	var e *ufile.Error
	if errors.As(err, &e) && e.Status != 0 {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &dns):
		return "host not found"
	case errors.As(err, &e) && e.Err != nil && !errors.As(e.Err, &ne):
		return short(e.Err.Error()) // e.g. "no byte moved for 2m0s"
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.As(err, &e) && e.Err != nil:
		return short(e.Err.Error())
	}
	return short(err.Error())
}

func short(s string) string {
	if len(s) > 80 {
		s = strings.ToValidUTF8(s[:80], "") + "…"
	}
	return safetext.Escape(s)
}

// emitRetry hands a RetryEvent to Progress, through the meter when there
// is one (so calls never overlap), else directly.
func (u *uploader) emitRetry(ev RetryEvent) {
	if u.o.Progress == nil {
		return
	}
	if m := u.m; m != nil {
		m.emitEvent(&ev)
		return
	}
	u.emitMu.Lock()
	defer u.emitMu.Unlock()
	u.o.Progress(Progress{Phase: PhaseUploading, Total: u.size, Elapsed: u.o.Now().Sub(u.start), Retry: &ev})
}
