package upload

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// retryLog collects the RetryEvents of a run.
type retryLog struct {
	mu     sync.Mutex
	events []RetryEvent
}

func (l *retryLog) fn(p Progress) {
	if p.Retry != nil {
		l.mu.Lock()
		l.events = append(l.events, *p.Retry)
		l.mu.Unlock()
	}
}

func (l *retryLog) lines() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.events {
		out = append(out, e.String())
	}
	return strings.Join(out, "\n")
}

// A hung Initiate fails within the request timeout and is retried, each
// retry saying why; a failing part says which part and why.
func TestRequestTimeoutAndRetryEvents(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
	file := writeFile(t, t.TempDir(), "t.raw", 5<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpInitiate, Delay: time.Minute, Times: 2})
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{3}, Status: 503, Times: 1})
	o := e.opts(file)
	o.RequestTimeout = 150 * time.Millisecond
	var log retryLog
	o.Progress = log.fn
	start := time.Now()
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "t.raw", res)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	got := log.lines()
	for _, want := range []string{
		"retrying InitiateMultipartUpload (2/6)", "retrying InitiateMultipartUpload (3/6)", "no answer within 150ms",
		"retrying part 3 (2/6)", "HTTP 503",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("events lack %q:\n%s", want, got)
		}
	}
}

// However many attempts are left, retrying stops after RetryFor: a
// refused connection ends the run quickly, saying so at each retry.
func TestRetryTimeCapped(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close() // nothing listens there now: connection refused
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
	e.c.Endpoint = &url.URL{Scheme: "http", Host: dead}
	file := writeFile(t, t.TempDir(), "c.raw", 5<<20, 1)
	o := e.opts(file)
	o.Retry.Attempts, o.Retry.BaseDelay, o.Retry.MaxDelay = 1000, 20*time.Millisecond, 20*time.Millisecond
	o.Sleep = sleepCtx
	o.RetryFor = 300 * time.Millisecond
	var log retryLog
	o.Progress = log.fn
	start := time.Now()
	_, err = Upload(context.Background(), o)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %v", d)
	}
	if !errors.As(err, new(*ResumableError)) || !strings.Contains(err.Error(), "gave up after retrying") {
		t.Errorf("err = %v", err)
	}
	if got := log.lines(); !strings.Contains(got, "connection refused") || !strings.Contains(got, "/1000)") {
		t.Errorf("events:\n%s", got)
	}
}

// The state cannot be written right after Initiate (a full disk): the
// new multipart upload is aborted, not left open on UFile.
func TestStateFailureAbortsNewUpload(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
	file := writeFile(t, t.TempDir(), "d.raw", 5<<20, 1)
	o := e.opts(file)
	o.create = func(string, *state) (*stateFile, error) { return nil, errors.New("no space left on device") }
	_, err := Upload(context.Background(), o)
	var ue *Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Hint(), "aborted") {
		t.Fatalf("err = %v", err)
	}
	if e.lastUploadID() == "" || e.srv.PendingUploads() != 0 {
		t.Errorf("the upload was left open (%d pending)", e.srv.PendingUploads())
	}
}
