package upload

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

const testBucket = "b"

// env is a demo UFile on loopback and a client for one of its buckets.
type env struct {
	t   *testing.T
	srv *demoapi.Server
	c   *ufile.Client
	dir string // state dir
}

func newEnv(t *testing.T, uo demoapi.UploadOptions) *env {
	t.Helper()
	s := demoapi.New(demoapi.Options{Uploads: uo})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { s.Close(); hs.Close() }) // s first: it ends delayed answers
	ep, err := url.Parse(demoapi.UFileEndpoint(hs.URL, testBucket))
	if err != nil {
		t.Fatal(err)
	}
	c := &ufile.Client{Keys: apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey},
		Bucket: testBucket, Endpoint: ep}
	return &env{t: t, srv: s, c: c, dir: t.TempDir()}
}

// opts are fast-failing defaults: no real backoff waits.
func (e *env) opts(file string) Options {
	return Options{File: file, Client: e.c, StateDir: e.dir, Sleep: func(context.Context, time.Duration) error { return nil },
		Retry: apiclient.RetryPolicy{Attempts: 6, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}}
}

// writeFile makes a file of size bytes mixing random data and zero runs
// (sparse holes), so both compress badly and hash distinctly.
func writeFile(t *testing.T, dir, name string, size int64, seed uint64) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	rng := rand.NewChaCha8(s)
	buf := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(buf)) {
		n := min(int64(len(buf)), size-off)
		if rng.Uint64()%4 == 0 {
			continue // leave a hole
		}
		rng.Read(buf[:n])
		if _, err := f.WriteAt(buf[:n], off); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkStored asserts the stored object has the file's bytes and ETag.
func (e *env) checkStored(file, key string, res Result) {
	e.t.Helper()
	path, etag, ok := e.srv.UploadedObject(testBucket, key)
	if !ok {
		e.t.Fatalf("no object %s stored", key)
	}
	want, _ := os.ReadFile(file)
	got, _ := os.ReadFile(path)
	if !bytes.Equal(want, got) {
		e.t.Fatalf("stored bytes differ from the file (%d vs %d bytes)", len(got), len(want))
	}
	f, _ := os.Open(file)
	defer f.Close()
	wantETag, _ := ufile.ETag(f)
	if etag != wantETag || res.ETag != wantETag || !res.Verified {
		e.t.Fatalf("ETag: stored %s, result %s (verified %v), file %s", etag, res.ETag, res.Verified, wantETag)
	}
}

// progressLog records Progress calls and checks they never overlap.
type progressLog struct {
	mu      sync.Mutex
	busy    bool
	overlap bool
	calls   []Progress
}

func (p *progressLog) fn(pr Progress) {
	p.mu.Lock()
	if p.busy {
		p.overlap = true
	}
	p.busy = true
	p.calls = append(p.calls, pr)
	p.busy = false
	p.mu.Unlock()
}
