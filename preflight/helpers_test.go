package preflight

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/ufile"
)

// objectServer is a UFile stand-in whose misbehaviour each test picks.
type objectServer struct {
	data        []byte
	ignoreRange bool   // answer 200 with everything, whatever Range says
	hideTotal   bool   // answer the head range with Content-Range ".../*"
	status      int    // answer this status with body instead of the object
	body        string //
	keys        *apiclient.Keys
	delay       time.Duration // hold every answer back

	mu       sync.Mutex
	requests []seen
	written  int64 // body bytes the server managed to send
}

// seen is one request as the server got it.
type seen struct {
	method, rng, auth, host, path string
	signatureOK                   bool
}

func (o *objectServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bucket, _, _ := strings.Cut(r.Host, ".")
	key := strings.TrimPrefix(r.URL.Path, "/")
	s := seen{method: r.Method, rng: r.Header.Get("Range"), auth: r.Header.Get("Authorization"), host: r.Host, path: r.URL.Path}
	if o.keys != nil {
		// Verify the way UFile does: bucket from the host, raw key from the
		// path, signature recomputed over what was received.
		want := ufile.Authorization(o.keys.PublicKey, ufile.SignString(o.keys.PrivateKey,
			ufile.StringToSign(r.Method, r.Header.Get("Content-MD5"), r.Header.Get("Content-Type"), r.Header.Get("Date"), ufile.CanonicalHeaders(r.Header), bucket, key)))
		s.signatureOK = s.auth == want
	}
	o.mu.Lock()
	o.requests = append(o.requests, s)
	o.mu.Unlock()

	if o.delay > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(o.delay):
		}
	}
	switch {
	case o.status != 0:
		w.WriteHeader(o.status)
		w.Write([]byte(o.body))
	case o.keys != nil && !s.signatureOK:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"RetCode":-148658,"ErrMsg":"invalid signature"}`))
	case o.ignoreRange:
		w.Header().Set("Content-Length", strconv.Itoa(len(o.data)))
		for off := 0; off < len(o.data); off += 32 << 10 {
			n, err := w.Write(o.data[off:min(len(o.data), off+32<<10)])
			o.mu.Lock()
			o.written += int64(n)
			o.mu.Unlock()
			if err != nil {
				return
			}
		}
	case o.hideTotal && s.rng == headRange:
		w.Header().Set("Content-Range", "bytes 0-65535/*")
		w.WriteHeader(http.StatusPartialContent)
		w.Write(o.data[:65536])
	default:
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(o.data))
	}
}

func (o *objectServer) seen() []seen {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]seen(nil), o.requests...)
}

// start serves o and returns a client that sends every host name to it,
// so URLs can name real UFile hosts (and so be signed).
func start(t *testing.T, o *objectServer) *http.Client {
	t.Helper()
	srv := httptest.NewServer(o)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// refusingClient dials a port nobody listens on.
func refusingClient(t *testing.T) *http.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// Images for the tests: only the fields the checks read.

const gib = 1 << 30

func qcow2(size uint64, crypt uint32) []byte {
	b := make([]byte, 200<<10)
	copy(b, "QFI\xfb")
	binary.BigEndian.PutUint32(b[4:], 3)
	binary.BigEndian.PutUint32(b[20:], 16)
	binary.BigEndian.PutUint64(b[24:], size)
	binary.BigEndian.PutUint32(b[32:], crypt)
	binary.BigEndian.PutUint32(b[100:], 104)
	return b
}

func mbrDisk(n int) []byte {
	b := make([]byte, n)
	b[446+4] = 0x83
	b[510], b[511] = 0x55, 0xaa
	return b
}

func fixedVHD(n int) []byte {
	f := make([]byte, 512)
	copy(f, "conectix")
	binary.BigEndian.PutUint64(f[16:], ^uint64(0))
	binary.BigEndian.PutUint64(f[40:], uint64(n))
	binary.BigEndian.PutUint64(f[48:], uint64(n))
	binary.BigEndian.PutUint32(f[60:], 2)
	var sum uint32
	for _, c := range f {
		sum += uint32(c)
	}
	binary.BigEndian.PutUint32(f[64:], ^sum)
	return append(mbrDisk(n), f...)
}
