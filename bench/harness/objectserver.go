package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// objectServer serves files over loopback as an object store would for
// ranged GETs, optionally delaying each answer (a link's round trip), and
// counts what it was asked for.
type objectServer struct {
	dir      string
	rtt      time.Duration
	requests atomic.Int64
	noRange  atomic.Int64
	sent     atomic.Int64
	mu       sync.Mutex
	sizes    []int64 // the length of each Range asked for
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

func (s *objectServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if rg := r.Header.Get("Range"); rg == "" {
		s.noRange.Add(1)
	} else {
		var a, b int64
		if n, _ := fmt.Sscanf(rg, "bytes=%d-%d", &a, &b); n == 2 {
			s.mu.Lock()
			s.sizes = append(s.sizes, b-a+1)
			s.mu.Unlock()
		}
	}
	if s.rtt > 0 {
		time.Sleep(s.rtt)
	}
	f, err := os.Open(filepath.Join(s.dir, filepath.Base(r.URL.Path)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	http.ServeContent(countingWriter{w, &s.sent}, r, "", time.Time{}, f)
}
