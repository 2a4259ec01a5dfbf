package apiclient_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// transient failures the read-only actions must ride out.
var transient = []struct {
	name string
	fail func(w http.ResponseWriter)
}{
	{"HTTP 503", func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }},
	{"HTTP 429", func(w http.ResponseWriter) { w.WriteHeader(http.StatusTooManyRequests) }},
	{"HTTP 502", func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) }},
	{"RetCode 150", func(w http.ResponseWriter) {
		writeJSON(w, `{"RetCode":150,"Message":"Service Temporarily Unavailable"}`)
	}},
	{"RetCode 153", func(w http.ResponseWriter) { writeJSON(w, `{"RetCode":153,"Message":"Too Frequently"}`) }},
	{"truncated JSON", func(w http.ResponseWriter) { writeJSON(w, `{"RetCode":0,"Regions":[{"Reg`) }},
}

// failTwice fails the first two attempts, then answers ok.
func failTwice(fail func(http.ResponseWriter), ok string) replyFunc {
	return func(w http.ResponseWriter, _ *http.Request, attempt int) {
		if attempt <= 2 {
			fail(w)
			return
		}
		writeJSON(w, ok)
	}
}

func TestReadOnlyActionsRetryTransientFailures(t *testing.T) {
	for _, tt := range transient {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFakeAPI(t, failTwice(tt.fail, `{"RetCode":0,"Regions":[{"Region":"hk","Zone":"hk-02"}]}`))
			regions, err := c.GetRegion(context.Background())
			if err != nil || len(regions) != 1 || regions[0].Zone != "hk-02" {
				t.Fatalf("regions %+v, err %v", regions, err)
			}
			if n := f.count(apiclient.ActionGetRegion); n != 3 {
				t.Errorf("%d attempts, want 3", n)
			}
		})
	}
}

func TestDescribeImageAndProjectsRetryToo(t *testing.T) {
	busy := transient[0].fail
	f, c := newFakeAPI(t, failTwice(busy, `{"RetCode":0,"TotalCount":1,"ImageSet":[{"ImageId":"uimage-1","State":"Available"}],"ProjectSet":[{"ProjectId":"org-1"}]}`))
	img, err := c.DescribeImage(context.Background(), apiclient.DescribeImageRequest{Region: "hk", ImageId: "uimage-1"})
	if err != nil || len(img.ImageSet) != 1 || img.ImageSet[0].State != apiclient.StateAvailable {
		t.Errorf("DescribeImage: %+v, %v", img, err)
	}
	projects, err := c.GetProjectList(context.Background())
	if err != nil || len(projects) != 1 {
		t.Errorf("GetProjectList: %+v, %v", projects, err)
	}
	if a, b := f.count(apiclient.ActionDescribeImage), f.count(apiclient.ActionGetProjectList); a != 3 || b != 3 {
		t.Errorf("attempts: DescribeImage %d, GetProjectList %d; want 3 each", a, b)
	}
}

// A transient failure that does not clear is reported after Attempts tries.
func TestRetryGivesUpAfterAttempts(t *testing.T) {
	f, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusServiceUnavailable) })
	_, err := c.GetRegion(context.Background())
	var he *apiclient.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Fatalf("err = %v, want HTTPError 503", err)
	}
	if n := f.count(apiclient.ActionGetRegion); n != fastRetry.Attempts {
		t.Errorf("%d attempts, want %d", n, fastRetry.Attempts)
	}
}

// A refusal is an answer: asking again gets the same one.
func TestNoRetryOnSignatureError(t *testing.T) {
	f, c := newFakeAPI(t, respond(`{"RetCode":0}`))
	c.Keys.PrivateKey = "wrong"
	_, err := c.GetRegion(context.Background())
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || ae.RetCode != 171 {
		t.Fatalf("err = %v, want APIError 171", err)
	}
	if n := f.count(apiclient.ActionGetRegion); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestImportIsNeverRetried(t *testing.T) {
	for _, tt := range transient {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFakeAPI(t, failTwice(tt.fail, `{"RetCode":0,"ImageId":"uimage-late"}`))
			if id, err := c.ImportCustomImage(context.Background(), trickyImport); err == nil {
				t.Fatalf("import succeeded with %q: it was retried", id)
			}
			if n := f.count(apiclient.ActionImportCustomImage); n != 1 {
				t.Errorf("server saw the import %d times, want 1", n)
			}
		})
	}
}

// Cancelling during the backoff ends the wait at once.
func TestRetryStopsWhenContextEnds(t *testing.T) {
	f, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusServiceUnavailable) })
	c.Retry = apiclient.RetryPolicy{Attempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetRegion(ctx)
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if n := f.count(apiclient.ActionGetRegion); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// A policy without MaxDelay still backs off rather than spinning.
func TestRetryWithoutMaxDelayStillWaits(t *testing.T) {
	var (
		mu    sync.Mutex // the race detector does not see ordering through a socket
		times []time.Time
	)
	_, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c.Retry = apiclient.RetryPolicy{Attempts: 3, BaseDelay: 40 * time.Millisecond}
	c.GetRegion(context.Background())
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 3 {
		t.Fatalf("%d attempts, want 3", len(times))
	}
	// Jitter keeps each wait within [delay/2, delay]: the second is ≥ 40ms.
	if gap := times[2].Sub(times[1]); gap < 40*time.Millisecond {
		t.Errorf("second wait %v, want at least 40ms", gap)
	}
}

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&apiclient.TransportError{Kind: apiclient.TransportTimeout}, true},
		{&apiclient.TransportError{Kind: apiclient.TransportRefused}, true},
		{&apiclient.TransportError{Kind: apiclient.TransportTLS}, false},
		{&apiclient.TransportError{Kind: apiclient.TransportCanceled}, false},
		{&apiclient.HTTPError{StatusCode: 504}, true},
		{&apiclient.HTTPError{StatusCode: 500}, false},
		{&apiclient.HTTPError{StatusCode: 404}, false},
		{&apiclient.APIError{RetCode: 150}, true},
		{&apiclient.APIError{RetCode: 171}, false},
		{&apiclient.ResponseError{Kind: apiclient.ResponseTruncated}, true},
		{&apiclient.ResponseError{Kind: apiclient.ResponseHTML}, false},
		{io.EOF, false},
	}
	for _, tt := range tests {
		if got := apiclient.IsRetryable(tt.err); got != tt.want {
			t.Errorf("IsRetryable(%T %v) = %v, want %v", tt.err, tt.err, got, tt.want)
		}
	}
}
