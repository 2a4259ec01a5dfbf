package follow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// One HTTP 500 and one HTML page from DescribeImage during a wait are
// passing failures of a read-only poll: the wait goes on to Available.
func TestWaitSurvives500AndHTML(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.WriteHeader(500)
			w.Write([]byte("Internal Server Error"))
		case 2:
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>gateway</body></html>"))
		case 3:
			w.Write([]byte(`{"RetCode":0,"Action":"DescribeImageRes`))
		default:
			w.Write([]byte(`{"RetCode":0,"Action":"DescribeImageResponse","TotalCount":1,"ImageSet":[{"ImageId":"uimage-1","State":"Available"}]}`))
		}
	}))
	defer srv.Close()
	c := apiclient.New(srv.URL, apiclient.Keys{PublicKey: "p", PrivateKey: "s"}, "")
	c.Retry = apiclient.RetryPolicy{Attempts: 1}
	clock := &fakeClock{now: time.Unix(0, 0)}
	var errs int
	img, err := Wait(context.Background(), c, opts(clock), func(u Update) {
		if u.Err != nil {
			errs++
		}
	})
	if err != nil || img.State != "Available" || errs != 3 {
		t.Fatalf("Wait = %+v, %v after %d transient errors", img, err, errs)
	}
}

func TestTransient(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&apiclient.HTTPError{StatusCode: 500}, true},
		{&apiclient.HTTPError{StatusCode: 404}, false},
		{&apiclient.ResponseError{Kind: apiclient.ResponseHTML}, true},
		{&apiclient.ResponseError{Kind: apiclient.ResponseNotJSON}, true},
		{&apiclient.ResponseError{Kind: apiclient.ResponseMalformed}, false},
		{&apiclient.APIError{RetCode: 171}, false},
		{&apiclient.TransportError{Kind: apiclient.TransportTLS}, false},
		{errors.New("other"), false},
	} {
		if got := Transient(tc.err); got != tc.want {
			t.Errorf("Transient(%v) = %v", tc.err, got)
		}
	}
}

func TestValidateWaitTimeout(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		if ValidateWaitTimeout(d) == nil {
			t.Errorf("%v accepted", d)
		}
	}
	if ValidateWaitTimeout(time.Minute) != nil {
		t.Error("1m refused")
	}
}

// `status ""` must not list (and show) some other image: an empty or
// malformed id is refused with nothing sent, and Wait does not loop.
func TestEmptyOrMalformedIDRefused(t *testing.T) {
	for _, id := range []string{"", " ", "../../../etc/passwd", "uimage-x\x1b"} {
		s := &script{replies: []reply{{state: "Available"}}}
		o := opts(&fakeClock{now: time.Unix(0, 0)})
		o.ImageID = id
		_, err := Wait(context.Background(), s, o, nil)
		var ie *apiclient.InputError
		if !errors.As(err, &ie) || s.calls != 0 {
			t.Errorf("%q: %v after %d calls", id, err, s.calls)
		}
	}
}
