package demoapi

import (
	"fmt"
	"maps"
	"strings"
	"time"
)

// Request is one request as the server received it, for tests to assert on.
// Params holds decoded values, including PublicKey and Signature (the
// private key is never sent, so it never appears here).
type Request struct {
	Action         string
	Method         string // GET or POST
	Params         map[string]string
	SignatureValid bool // signed correctly by a known account
	Faulted        bool // a Fault applied to it
	Time           time.Time
	// RetCode is the RetCode answered, or -1 when no JSON answer has been
	// sent: still in flight, abandoned during a Delay, or a raw fault.
	RetCode int
}

// record stores a request as soon as it arrives (so Count sees requests a
// client gave up on) and returns its index for finish.
func (s *Server) record(r Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	return len(s.requests) - 1
}

func (s *Server) finish(idx, retCode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[idx].RetCode = retCode
}

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Params = maps.Clone(r.Params)
		out[i] = r
	}
	return out
}

// Count returns how many requests named action ("" counts those with no
// Action), whatever their outcome.
func (s *Server) Count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Action == action {
			n++
		}
	}
	return n
}

// logLine writes one request summary to Options.Log. Only the method, the
// action name and the outcome are written: never parameter values, which
// may carry keys, signatures or signed URLs.
func (s *Server) logLine(method, action, outcome string) {
	if s.logw == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.logw, "demoapi: %s %s %s\n", method, logSafe(action), outcome)
}

// logSafe keeps a client-chosen action name from forging log lines or
// flooding the log.
func logSafe(action string) string {
	if action == "" {
		return "-"
	}
	if len(action) > 64 {
		action = action[:64]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-' {
			return r
		}
		return '?'
	}, action)
}
