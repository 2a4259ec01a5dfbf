package apiclient_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// Failures below the API: no answer, a cut connection, a foreign certificate.

// waitForHangup blocks until the client gives up, so the server can close.
func waitForHangup(arrived chan<- struct{}) replyFunc {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		if arrived != nil {
			arrived <- struct{}{}
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
}

func TestTimeout(t *testing.T) {
	_, c := newFakeAPI(t, waitForHangup(nil))
	c.Timeout = 100 * time.Millisecond
	start := time.Now()
	_, err := c.ImportCustomImage(context.Background(), trickyImport)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v with a 100ms timeout", d)
	}
	te := transportErr(t, err, apiclient.TransportTimeout, true)
	if !strings.Contains(te.Hint(), mustCheckFirst) {
		t.Errorf("import timeout hint %q lacks %q", te.Hint(), mustCheckFirst)
	}
}

func TestCanceled(t *testing.T) {
	arrived := make(chan struct{}, 1)
	_, c := newFakeAPI(t, waitForHangup(arrived))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.GetRegion(ctx)
	transportErr(t, err, apiclient.TransportCanceled, true)
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := apiclient.New("http://"+addr, apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, testUserAgent)
	_, err = c.ImportCustomImage(context.Background(), trickyImport)
	te := transportErr(t, err, apiclient.TransportRefused, false)
	if strings.Contains(te.Hint(), mustCheckFirst) {
		t.Errorf("nothing was sent, yet the hint says %q", te.Hint())
	}
}

func TestUntrustedTLS(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is expected
	srv.StartTLS()
	defer srv.Close()
	c := apiclient.New(srv.URL, apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, testUserAgent)
	_, err := c.ImportCustomImage(context.Background(), trickyImport)
	transportErr(t, err, apiclient.TransportTLS, false)
	if n := hits.Load(); n != 0 {
		t.Errorf("handler ran %d times", n)
	}
}

// hangUp reads the whole request, then drops the connection without a word:
// the server has the import, the client has no answer.
func hangUp(t *testing.T) replyFunc {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
	}
}

// A POST that may have been processed must reach the server exactly once:
// neither our code nor net/http may quietly send it again. On a reused
// keep-alive connection net/http re-sends requests it deems replayable (GET,
// or any request with an Idempotency-Key header; a GET in this very setup is
// seen twice), so both a fresh and a reused connection are tried.
func TestHangUpAfterImportIsNotResent(t *testing.T) {
	for _, reuse := range []bool{false, true} {
		t.Run(map[bool]string{false: "fresh connection", true: "reused connection"}[reuse], func(t *testing.T) {
			hang := hangUp(t)
			f, c := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if r.URL.Query().Get("Action") == apiclient.ActionImportCustomImage {
					hang(w, r, n)
					return
				}
				writeJSON(w, `{"RetCode":0,"Regions":[]}`)
			})
			c.HTTPClient = &http.Client{Transport: &http.Transport{}}
			defer c.HTTPClient.CloseIdleConnections()
			if reuse {
				if _, err := c.GetRegion(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			var reused atomic.Bool
			ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				GotConn: func(i httptrace.GotConnInfo) { reused.Store(reused.Load() || i.Reused) },
			})
			_, err := c.ImportCustomImage(ctx, trickyImport)
			te := transportErr(t, err, apiclient.TransportOther, true)
			if !strings.Contains(te.Hint(), mustCheckFirst) {
				t.Errorf("hint %q lacks %q", te.Hint(), mustCheckFirst)
			}
			if reused.Load() != reuse {
				t.Errorf("connection reused = %v, the test meant %v", reused.Load(), reuse)
			}
			if n := f.count(apiclient.ActionImportCustomImage); n != 1 {
				t.Errorf("server saw the import %d times, want exactly 1", n)
			}
		})
	}
}

// A POST redirected with 301/302 is re-sent as a bodiless GET, which the API
// answers with a misleading "missing signature"; say where to point instead.
func TestRedirectIsReportedNotFollowed(t *testing.T) {
	f, _ := newFakeAPI(t, respond(`{"RetCode":0,"ImageId":"uimage-r"}`))
	redirect := httptest.NewServer(http.RedirectHandler(f.srv.URL+"/?Action=ImportCustomImage", http.StatusMovedPermanently))
	defer redirect.Close()
	c := apiclient.New(redirect.URL, apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, testUserAgent)
	_, err := c.ImportCustomImage(context.Background(), trickyImport)
	var he *apiclient.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 301 || he.Location == "" {
		t.Fatalf("err = %#v, want *HTTPError 301 with Location", err)
	}
	if !strings.Contains(he.Hint(), f.srv.URL) {
		t.Errorf("hint %q does not name the new location", he.Hint())
	}
	checkErrorText(t, err)
	if n := f.count(apiclient.ActionImportCustomImage); n != 0 {
		t.Errorf("redirect followed: target saw %d requests", n)
	}
}
