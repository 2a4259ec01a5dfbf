// Package rangereader reads an HTTP object as an io.ReaderAt through ranged
// GETs and a bounded block cache, so a disk image in UFile can be inspected
// without downloading it: neighbouring missing blocks are fetched in one
// request, a few requests run at once, and a GET never goes without a Range.
package rangereader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Options says what to read and how.
type Options struct {
	URL    string
	Client *http.Client // nil: http.DefaultClient
	// Authorize, when set, adds credentials to every request (UFile's
	// Authorization header for a private bucket).
	Authorize func(*http.Request)
	UserAgent string
	// BlockSize is the unit cached and fetched; 0 means 256 KiB.
	BlockSize int
	// CacheBytes bounds the cache; 0 means 64 MiB.
	CacheBytes int64
	// MaxInFlight bounds concurrent GETs; 0 means 4.
	MaxInFlight int
	// MaxRequestBytes bounds one coalesced GET; 0 means 8 MiB.
	MaxRequestBytes int
}

// Stats counts what was fetched, for reports and benchmarks.
type Stats struct {
	Requests int
	Bytes    int64
}

// Reader is an HTTP object as an io.ReaderAt. It is safe for concurrent use.
type Reader struct {
	ctx  context.Context
	o    Options
	size int64
	sem  chan struct{}

	mu       sync.Mutex
	cache    *lru
	inflight map[int64]*fetch // block index → the GET bringing it
	stats    Stats
	// next and window follow sequential reads for read-ahead.
	next, window int64
}

type fetch struct {
	done chan struct{}
	err  error
}

// Open reads the first block, which also tells the object's size
// (Content-Range), and returns the reader. ctx bounds every later read.
func Open(ctx context.Context, o Options) (*Reader, error) {
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	if o.BlockSize <= 0 {
		o.BlockSize = 256 << 10
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = 64 << 20
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 4
	}
	if o.MaxRequestBytes < o.BlockSize {
		o.MaxRequestBytes = max(8<<20, o.BlockSize)
	}
	r := &Reader{
		ctx:      ctx,
		o:        o,
		size:     -1,
		sem:      make(chan struct{}, o.MaxInFlight),
		cache:    newLRU(int(max(1, o.CacheBytes/int64(o.BlockSize)))),
		inflight: map[int64]*fetch{},
	}
	if err := r.fetchRun(0, 1); err != nil {
		return nil, err
	}
	return r, nil
}

// Size is the object's length in bytes.
func (r *Reader) Size() int64 { return r.size }

// Stats returns what has been fetched so far.
func (r *Reader) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// ReadAt reads len(p) bytes at off, fetching the blocks it lacks.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("rangereader: negative offset")
	}
	if off >= r.size {
		return 0, io.EOF
	}
	want := p
	if rem := r.size - off; int64(len(want)) > rem {
		want = want[:rem]
	}
	bs := int64(r.o.BlockSize)
	first, last := off/bs, (off+int64(len(want))-1)/bs
	if err := r.ensure(first, last, r.readAhead(first, last)); err != nil {
		return 0, err
	}
	n := 0
	for b := first; b <= last; b++ {
		blk, ok := r.block(b)
		if !ok {
			// Evicted between ensure and here by a concurrent reader:
			// fetch this one again.
			if err := r.ensure(b, b, 0); err != nil {
				return n, err
			}
			if blk, ok = r.block(b); !ok {
				return n, errors.New("rangereader: cache too small for concurrent reads")
			}
		}
		start := int64(0)
		if b == first {
			start = off - b*bs
		}
		if start > int64(len(blk)) {
			return n, io.ErrUnexpectedEOF
		}
		n += copy(want[n:], blk[start:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (r *Reader) block(b int64) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cache.get(b)
}

// readAhead is how many blocks past last to fetch with a read. A file
// read in order through a disk image and a file system arrives as many
// small reads; each that continues the previous one doubles the window, up
// to MaxRequestBytes, so a stream costs a few GETs, not one per block. A
// read elsewhere starts again from none.
func (r *Reader) readAhead(first, last int64) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next > 0 && (first == r.next || first == r.next-1) {
		r.window = min(max(2*r.window, 1), int64(r.o.MaxRequestBytes/r.o.BlockSize))
	} else {
		r.window = 0
	}
	r.next = last + 1
	return r.window
}

// ensure makes blocks first..last present, fetching each run of missing
// blocks in one GET (split at MaxRequestBytes) and waiting for blocks
// another reader is already fetching. Up to ahead more blocks come along
// with the last run, when they are missing too.
func (r *Reader) ensure(first, last, ahead int64) error {
	maxRun := int64(r.o.MaxRequestBytes / r.o.BlockSize)
	var wait []*fetch
	var runs [][2]int64
	r.mu.Lock()
	lastBlock := (r.size - 1) / int64(r.o.BlockSize)
	end := min(last+ahead, lastBlock)
	for b := first; b <= end; b++ {
		_, cached := r.cache.peek(b)
		_, fetching := r.inflight[b]
		// Read-ahead only rides along with a GET the read needs anyway: it
		// never waits, and a read the cache answers sends nothing.
		if b > last && (cached || fetching || len(runs) == 0) {
			break
		}
		if cached {
			continue
		}
		if f, ok := r.inflight[b]; ok {
			wait = append(wait, f)
			continue
		}
		if n := len(runs); n > 0 && runs[n-1][1] == b && runs[n-1][1]-runs[n-1][0] < maxRun {
			runs[n-1][1] = b + 1
		} else {
			runs = append(runs, [2]int64{b, b + 1})
		}
	}
	// Claim the runs before unlocking, so concurrent readers wait for them.
	claims := make([]*fetch, len(runs))
	for i, run := range runs {
		f := &fetch{done: make(chan struct{})}
		claims[i] = f
		for b := run[0]; b < run[1]; b++ {
			r.inflight[b] = f
		}
	}
	r.mu.Unlock()

	var wg sync.WaitGroup
	for i, run := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			claims[i].err = r.fetchRun(run[0], run[1]-run[0])
			r.mu.Lock()
			for b := run[0]; b < run[1]; b++ {
				delete(r.inflight, b)
			}
			r.mu.Unlock()
			close(claims[i].done)
		}()
	}
	wg.Wait()
	for _, f := range claims {
		if f.err != nil {
			return f.err
		}
	}
	for _, f := range wait {
		select {
		case <-f.done:
			if f.err != nil {
				return f.err
			}
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
	}
	return nil
}

// fetchRun GETs count blocks from block first and caches them.
func (r *Reader) fetchRun(first, count int64) error {
	select {
	case r.sem <- struct{}{}:
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	defer func() { <-r.sem }()
	bs := int64(r.o.BlockSize)
	start := first * bs
	end := start + count*bs - 1
	if r.size >= 0 && end >= r.size {
		end = r.size - 1
	}
	body, total, err := r.get(start, end)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size < 0 {
		r.size = total
	}
	r.stats.Requests++
	r.stats.Bytes += int64(len(body))
	for i := int64(0); i < count && i*bs < int64(len(body)); i++ {
		blk := body[i*bs : min(int64(len(body)), (i+1)*bs)]
		r.cache.put(first+i, blk)
	}
	return nil
}

// get asks for bytes start..end and checks that the answer is exactly
// that range: a server that ignores Range is an error, never a download.
func (r *Reader) get(start, end int64) ([]byte, int64, error) {
	req, err := http.NewRequestWithContext(r.ctx, http.MethodGet, r.o.URL, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", start, end))
	if r.o.UserAgent != "" {
		req.Header.Set("User-Agent", r.o.UserAgent)
	}
	if r.o.Authorize != nil {
		r.o.Authorize(req)
	}
	resp, err := r.o.Client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
	case http.StatusRequestedRangeNotSatisfiable:
		return nil, 0, &StatusError{Status: resp.StatusCode, Msg: "the object is empty"}
	case http.StatusOK:
		return nil, 0, &StatusError{Status: resp.StatusCode, Msg: "the server ignores ranged reads; it would send the whole object"}
	default:
		return nil, 0, &StatusError{Status: resp.StatusCode, Msg: http.StatusText(resp.StatusCode)}
	}
	// The reader must know where the object ends: an unknown total ("/*")
	// is refused.
	gs, ge, total, ok := ParseContentRange(resp.Header.Get("Content-Range"))
	if !ok || total < 0 || gs != start || ge > end {
		return nil, 0, &StatusError{Status: resp.StatusCode, Msg: "the server answered with another range than asked for"}
	}
	if r.size >= 0 && total != r.size {
		return nil, 0, &StatusError{Status: resp.StatusCode, Msg: "the object changed size while being read"}
	}
	want := ge - gs + 1
	body := make([]byte, want)
	if _, err := io.ReadFull(resp.Body, body); err != nil {
		return nil, 0, fmt.Errorf("rangereader: reading bytes %d-%d: %w", gs, ge, err)
	}
	// A short range is fine only at the object's end.
	if ge < end && ge != total-1 {
		return nil, 0, &StatusError{Status: resp.StatusCode, Msg: "the server sent fewer bytes than asked for"}
	}
	return body, total, nil
}

// StatusError is an answer that is not the range asked for.
type StatusError struct {
	Status int
	Msg    string
}

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Msg) }
