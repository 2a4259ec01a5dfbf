package ufile

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestErrorClassification(t *testing.T) {
	type answer struct {
		status int
		ct     string
		body   string
	}
	var a answer
	c, _ := fakeUFile(t, func(s seen, w http.ResponseWriter) {
		w.Header().Set("Content-Type", a.ct)
		w.Header().Set("X-SessionId", "sess-42")
		if a.status == http.StatusMovedPermanently {
			w.Header().Set("Location", "https://b.cn-sh2.ufileos.com/k")
		}
		w.WriteHeader(a.status)
		w.Write([]byte(a.body))
	})
	ctx := context.Background()
	head := func() error { _, err := c.Head(ctx, "k"); return err }
	part := func() error { _, err := c.UploadPart(ctx, "k", "u", 3, strings.NewReader("x"), 1); return err }
	list := func() error { _, err := c.ListParts(ctx, "u"); return err }
	put := func() error { _, err := c.PutFile(ctx, "k", strings.NewReader("x"), 1); return err }
	for _, tc := range []struct {
		name    string
		a       answer
		call    func() error
		kind    ErrorKind
		retCode int
	}{
		{"invalid signature, text/plain", answer{403, "text/plain", `{"RetCode":-148658,"ErrMsg":"invalid signature"}`}, put, KindAuth, -148658},
		{"invalid signature on a part", answer{403, "application/json", `{"RetCode":-148658,"ErrMsg":"invalid signature"}`}, part, KindAuth, -148658},
		{"RetCode as a string", answer{400, "applicaton/json", `{"RetCode":"-148658","ErrMsg":"invalid signature"}`}, put, KindAuth, -148658},
		{"no bucket", answer{404, "applicaton/json", `{"RetCode":-30010,"ErrMsg":"bucket not exist"}`}, part, KindNoBucket, -30010},
		{"no key (HEAD: no body)", answer{404, "", ""}, head, KindNotFound, 0},
		{"upload id gone on a part", answer{404, "application/json", `{"RetCode":-1,"ErrMsg":"no such upload"}`}, part, KindUploadGone, -1},
		{"upload id gone on ListParts", answer{400, "", "bad"}, list, KindUploadGone, 0},
		{"5xx HTML page", answer{502, "text/html", "<html>Bad Gateway</html>"}, part, KindTransient, 0},
		{"throttled", answer{429, "", ""}, put, KindTransient, 0},
		{"redirect", answer{301, "", ""}, head, KindRefused, 0},
		{"other 4xx", answer{400, "", `{"RetCode":-2,"ErrMsg":"bad\nthing"}`}, put, KindRefused, -2},
	} {
		a = tc.a
		err := tc.call()
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind || e.RetCode != tc.retCode || e.SessionID != "sess-42" || e.Status != tc.a.status {
			t.Errorf("%s: %#v", tc.name, err)
			continue
		}
		if e.Hint() == "" || !strings.Contains(e.Error(), "sess-42") || strings.Contains(e.Error(), "\n") {
			t.Errorf("%s: %q / %q", tc.name, e.Error(), e.Hint())
		}
		if e.Retryable() != (tc.kind == KindTransient) || IsRetryable(err) != e.Retryable() {
			t.Errorf("%s: Retryable %v", tc.name, e.Retryable())
		}
	}
	a = answer{301, "", ""}
	var e *Error
	if errors.As(head(), &e); !strings.Contains(e.Hint(), "b.cn-sh2.ufileos.com") {
		t.Errorf("redirect hint %q", e.Hint())
	}
}

func TestTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	ep, _ := url.Parse(srv.URL)
	srv.Close() // nothing listens any more
	c := &Client{Keys: vecKeys, Bucket: "b", Endpoint: ep}
	_, err := c.Head(context.Background(), "k")
	if KindOf(err) != KindTransient || !IsRetryable(err) || strings.Contains(err.Error(), ep.Host+"/k") {
		t.Errorf("refused: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Head(ctx, "k")
	if KindOf(err) != KindCanceled || !errors.Is(err, context.Canceled) || IsRetryable(err) {
		t.Errorf("canceled: %v", err)
	}
	for _, k := range []ErrorKind{KindAuth, KindNoBucket, KindNotFound, KindUploadGone, KindTransient, KindTLS, KindRefused, KindBadAnswer, KindCanceled} {
		if (&Error{Kind: k, Bucket: "b"}).Hint() == "" {
			t.Errorf("no hint for %s", k)
		}
	}
}
