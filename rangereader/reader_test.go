package rangereader

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// objectServer serves data with ranges and fails the test on a GET without
// a Range header: reading an image must never download all of it.
type objectServer struct {
	t        *testing.T
	data     []byte
	requests atomic.Int64
	ignore   bool // answer 200 with everything, as a server without ranges
	mangle   bool // answer with a range other than the one asked for
	auth     string
}

func (s *objectServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if r.Header.Get("Range") == "" {
		s.t.Errorf("GET without Range")
		http.Error(w, "no range", http.StatusBadRequest)
		return
	}
	if s.auth != "" && r.Header.Get("Authorization") != s.auth {
		http.Error(w, "denied", http.StatusForbidden)
		return
	}
	if s.ignore {
		w.Write(s.data)
		return
	}
	if s.mangle {
		w.Header().Set("Content-Range", "bytes 1-2/"+itoa(len(s.data)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write(s.data[1:3])
		return
	}
	http.ServeContent(w, r, "img", time.Time{}, bytes.NewReader(s.data))
}

func itoa(n int) string { return strconv.Itoa(n) }

func serve(t *testing.T, s *objectServer) string {
	s.t = t
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/bucket/disk.qcow2"
}

func pattern(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestReadsMatchTheObject(t *testing.T) {
	s := &objectServer{data: pattern(3<<20 + 123)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if r.Size() != int64(len(s.data)) {
		t.Fatalf("size %d, want %d", r.Size(), len(s.data))
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		off := rnd.Int64N(int64(len(s.data)))
		n := rnd.IntN(300 << 10)
		buf := make([]byte, n)
		got, err := r.ReadAt(buf, off)
		want := s.data[off:min(int(off)+n, len(s.data))]
		if got != len(want) || !bytes.Equal(buf[:got], want) {
			t.Fatalf("ReadAt(%d, %d): %d bytes, differ", n, off, got)
		}
		if got < n && err != io.EOF {
			t.Fatalf("short read at the end must say io.EOF, got %v", err)
		}
		if got == n && err != nil {
			t.Fatalf("full read: %v", err)
		}
	}
	if _, err := r.ReadAt(make([]byte, 1), int64(len(s.data))); err != io.EOF {
		t.Fatalf("read past the end: %v", err)
	}
}

func TestNeighbouringBlocksComeInOneRequest(t *testing.T) {
	s := &objectServer{data: pattern(4 << 20)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	before := s.requests.Load()
	buf := make([]byte, 1<<20)
	if _, err := r.ReadAt(buf, 1<<20); err != nil {
		t.Fatal(err)
	}
	if got := s.requests.Load() - before; got != 1 {
		t.Fatalf("16 neighbouring blocks took %d requests, want 1", got)
	}
	// Cached now: no request at all.
	if _, err := r.ReadAt(buf[:4096], 1<<20+5); err != nil {
		t.Fatal(err)
	}
	if got := s.requests.Load() - before; got != 1 {
		t.Fatalf("a cached read sent a request (%d)", got)
	}
	if st := r.Stats(); st.Requests != 2 || st.Bytes != 64<<10+1<<20 {
		t.Fatalf("stats %+v", st)
	}
}

func TestConcurrentReadersShareFetches(t *testing.T) {
	s := &objectServer{data: pattern(2 << 20)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 32 << 10, MaxInFlight: 2})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 100<<10)
			for off := int64(0); off+int64(len(buf)) <= int64(len(s.data)); off += 77 << 10 {
				if _, err := r.ReadAt(buf, off); err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(buf, s.data[off:off+int64(len(buf))]) {
					t.Errorf("bytes at %d differ", off)
					return
				}
			}
		}()
	}
	wg.Wait()
	// 64 blocks; shared fetches mean far fewer requests than 8 readers × blocks.
	if n := s.requests.Load(); n > 64 {
		t.Fatalf("%d requests for 64 blocks", n)
	}
}

func TestCacheStaysBounded(t *testing.T) {
	s := &objectServer{data: pattern(1 << 20)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 4096, CacheBytes: 4 * 4096})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	for off := int64(0); off < 1<<20; off += 4096 {
		if _, err := r.ReadAt(buf, off); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.cache.items); n > 4 {
		t.Fatalf("cache holds %d blocks, cap 4", n)
	}
	// A read wider than the whole cache still returns the right bytes.
	wide := make([]byte, 40000)
	if _, err := r.ReadAt(wide, 3); err != nil || !bytes.Equal(wide, s.data[3:40003]) {
		t.Fatalf("wide read: %v", err)
	}
}

func TestRefusesWhatIsNotTheRangeAskedFor(t *testing.T) {
	for name, s := range map[string]*objectServer{
		"ignores Range": {data: pattern(1 << 20), ignore: true},
		"another range": {data: pattern(1 << 20), mangle: true},
		"empty object":  {data: nil},
		"no permission": {data: pattern(10), auth: "UCloud a:b"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Open(context.Background(), Options{URL: serve(t, s)})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("want *StatusError, got %v", err)
			}
			t.Log(err)
		})
	}
}

func TestAuthorizeSignsEveryRequest(t *testing.T) {
	s := &objectServer{data: pattern(1 << 20), auth: "UCloud pub:sig"}
	var calls atomic.Int64
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 4096, Authorize: func(req *http.Request) {
		calls.Add(1)
		req.Header.Set("Authorization", "UCloud pub:sig")
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 500000); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != s.requests.Load() || calls.Load() != 2 {
		t.Fatalf("authorized %d of %d requests", calls.Load(), s.requests.Load())
	}
}

func TestCancelEndsReads(t *testing.T) {
	release := make(chan struct{})
	var first atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if first.CompareAndSwap(false, true) {
			http.ServeContent(w, r, "x", time.Time{}, bytes.NewReader(make([]byte, 1<<20)))
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	r, err := Open(ctx, Options{URL: srv.URL, BlockSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := r.ReadAt(make([]byte, 10), 900000); done <- err }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("read did not end on cancel")
	}
}

func TestObjectThatChangesSizeIsAnError(t *testing.T) {
	s := &objectServer{data: pattern(1 << 20)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	s.data = s.data[:1<<19]
	_, err = r.ReadAt(make([]byte, 10), 100000)
	var se *StatusError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "changed size") {
		t.Fatalf("want a changed-size error, got %v", err)
	}
}

func TestSequentialReadsAreFetchedAhead(t *testing.T) {
	s := &objectServer{data: pattern(16 << 20)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 64 << 10, MaxRequestBytes: 2 << 20})
	if err != nil {
		t.Fatal(err)
	}
	// A file read in order through the layers above: many 8 KiB reads.
	buf := make([]byte, 8<<10)
	for off := int64(1 << 20); off < 9<<20; off += int64(len(buf)) {
		if _, err := r.ReadAt(buf, off); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf, s.data[off:off+int64(len(buf))]) {
			t.Fatalf("bytes at %d differ", off)
		}
	}
	// 128 blocks of 8 MiB; one GET per block would be 128. With the window
	// doubling up to 2 MiB (32 blocks) it is a handful.
	if n := s.requests.Load() - 1; n > 10 {
		t.Fatalf("8 MiB read in order took %d GETs", n)
	}
	// Bytes fetched stay near what was read: at most one window more.
	if st := r.Stats(); st.Bytes > 8<<20+2<<20+64<<10 {
		t.Fatalf("fetched %d bytes for 8 MiB read", st.Bytes)
	}
	// A read elsewhere fetches just what it needs.
	before := s.requests.Load()
	if _, err := r.ReadAt(buf[:100], 14<<20); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); s.requests.Load()-before != 1 || st.Bytes > 8<<20+2<<20+2*64<<10 {
		t.Fatalf("a random read fetched ahead: %+v", st)
	}
}

func TestReadsTheCacheAnswersSendNothing(t *testing.T) {
	s := &objectServer{data: pattern(4 << 20)}
	r, err := Open(context.Background(), Options{URL: serve(t, s), BlockSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	// Two reads in the first block (a GPT header, then its entries): the
	// second continues the first but needs no fetch, so nothing is read ahead.
	for _, off := range []int64{512, 1024, 2048} {
		if _, err := r.ReadAt(make([]byte, 512), off); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.requests.Load(); n != 1 {
		t.Fatalf("reads inside the cached first block sent %d GETs after Open", n-1)
	}
}
