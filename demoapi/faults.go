package demoapi

import (
	"net/http"
	"time"
)

// AnyAction as a fault key matches every request, including ones with no
// Action. A fault set for the request's own action takes precedence.
const AnyAction = "*"

// Fault makes the server misbehave the way gateways, proxies and the API
// itself do, so clients' error handling can be tested. Combine fields as
// needed; the zero Fault does nothing (and SetFault with it clears).
//
// Faults act before authentication, like a gateway in front of the API.
// Status/Body and RetCode faults replace the answer and the action is NOT
// performed; RetCodeAsString and Truncate mangle the real answer of an
// action that WAS performed (an import then exists although the client could
// not read its id: the case that forbids retrying imports).
type Fault struct {
	// Delay holds the answer back. It ends early, with no answer at all,
	// when the request's context is cancelled or the server is closed, so
	// client-timeout tests do not hang.
	Delay time.Duration

	// Status and Body, when either is set, replace the whole answer with a
	// raw one: e.g. 502 with BadGatewayPage, or 200 with CaptivePortalPage.
	// Status defaults to 200; an empty Body with an error Status gets a
	// small HTML error page. Content-Type is sniffed from Body.
	Status int
	Body   string

	// RetCode, when non-zero, answers {"RetCode":RetCode,"Message":Message}
	// instead of performing the action (e.g. 150 for retry tests).
	RetCode int
	Message string

	// RetCodeAsString sends RetCode as a JSON string ("0", "171"), as some
	// gateways do.
	RetCodeAsString bool

	// Truncate cuts the JSON answer in half.
	Truncate bool

	// Times limits the fault to the next Times matching requests, after
	// which the action answers normally ("fail twice, then succeed").
	// 0 means every request until the fault is replaced or cleared.
	Times int
}

// BadGatewayPage is a typical proxy error page, for Fault.Body with 502.
const BadGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// CaptivePortalPage is an HTML login page answered with 200, as hotel and
// airport networks do; a client must not take it for a JSON answer.
const CaptivePortalPage = `<!DOCTYPE html>
<html><head><title>Wi-Fi Login</title></head>
<body><h1>Welcome!</h1><p>Please accept the terms to continue.</p>
<form method="post" action="/login"><button>Connect</button></form></body></html>
`

// faultState is an installed fault and how many uses it has left.
type faultState struct {
	f    Fault
	left int // remaining uses when f.Times > 0
}

// SetFault installs f for action (or AnyAction), replacing any fault there.
// A zero Fault removes it.
func (s *Server) SetFault(action string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == (Fault{}) {
		delete(s.faults, action)
		return
	}
	s.faults[action] = &faultState{f: f, left: f.Times}
}

// ClearFaults removes every installed fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

// takeFault returns the fault that applies to one request for action, and
// uses it up if it was limited to a number of requests.
func (s *Server) takeFault(action string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := action
	fs, ok := s.faults[key]
	if !ok || action == "" {
		key = AnyAction
		fs, ok = s.faults[key]
	}
	if !ok {
		return Fault{}, false
	}
	if fs.f.Times > 0 {
		fs.left--
		if fs.left <= 0 {
			delete(s.faults, key)
		}
	}
	return fs.f, true
}

// raw reports whether f replaces the answer with a non-JSON one.
func (f Fault) raw() bool { return f.Status != 0 || f.Body != "" }

func (f Fault) status() int {
	if f.Status == 0 {
		return http.StatusOK
	}
	return f.Status
}

func (s *Server) writeRaw(w http.ResponseWriter, f Fault) {
	body := f.Body
	if body == "" && f.status() != http.StatusOK {
		text := http.StatusText(f.status())
		body = "<html><body><h1>" + text + "</h1></body></html>\n"
	}
	w.Header().Set("Content-Type", http.DetectContentType([]byte(body)))
	w.WriteHeader(f.status())
	w.Write([]byte(body))
}

// wait sleeps for d unless the request or the server ends first; it
// reports whether the full delay passed.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}
