// Package demoapi is an in-process simulator of the UCloud-family API
// (UCloud, SCloud, SurferCloud) served on loopback. `uimport --demo` runs
// the whole import flow against it with no account, and tests use it as the
// far end of every HTTP exchange.
//
// It aims to be strict where the real API is strict: requests are signed
// and verified exactly as docs/API.md describes, parameters are validated with
// the real RetCodes, and answers are HTTP 200 with a JSON RetCode. Faults
// can be injected per action to exercise error and retry paths.
//
// Imports are asynchronous, as in the real API: an imported image is
// "Making" for the first Options.MakingPolls DescribeImage answers that
// include it, then "Available" — or "Unavailable" when its UFileUrl contains
// the word "unavailable", which is how the demo and tests show a failed
// import.
//
// Supported actions: ImportCustomImage, DescribeImage, GetRegion,
// GetProjectList, DescribeBucket, CopyCustomImage (copy.go: a copy is
// "Copying" in its target region, then Available or Unavailable).
package demoapi

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Options configures a Server. The zero value is a usable demo server.
type Options struct {
	// MakingPolls is how many DescribeImage answers that include a newly
	// imported image show it as "Making" before it settles. 0 means 3;
	// a negative value means the image settles at once.
	MakingPolls int

	// Accounts adds key pairs (public key -> private key) beside the demo
	// pair, which is always accepted.
	Accounts map[string]string

	// Faults are installed at start, keyed by action name or AnyAction.
	// SetFault changes them later.
	Faults map[string]Fault

	// Log, if set, receives one line per request: method, action and the
	// RetCode answered. Parameter values are never written.
	Log io.Writer

	// Uploads configures the UFile object calls (upload.go).
	Uploads UploadOptions

	// Copies configures CopyCustomImage (copy.go).
	Copies CopyOptions
}

// defaultMakingPolls keeps an import visibly "Making" for a few polls so a
// client's progress display is exercised.
const defaultMakingPolls = 3

// Server is the simulated API. All methods are safe for concurrent use.
type Server struct {
	makingPolls int

	logMu sync.Mutex // serialises lines written to logw
	logw  io.Writer

	mu       sync.Mutex
	accounts map[string]string
	faults   map[string]*faultState
	images   []*Image
	requests []Request
	srv      *http.Server
	url      string
	closed   bool

	done      chan struct{} // closed by Close so delayed answers give up
	closeOnce sync.Once

	uploads *uploadStore // UFile multipart and PutFile (upload.go)
	copies  *copyStore   // CopyCustomImage (copy.go); guarded by mu
}

// New returns a server configured by opts. It serves nothing until Start is
// called or its Handler is mounted (for example with httptest.NewServer).
func New(opts Options) *Server {
	s := &Server{
		makingPolls: opts.MakingPolls,
		logw:        opts.Log,
		accounts:    map[string]string{PublicKey: PrivateKey},
		faults:      make(map[string]*faultState),
		done:        make(chan struct{}),
		uploads:     newUploadStore(opts.Uploads),
		copies:      newCopyStore(opts.Copies),
	}
	switch {
	case s.makingPolls == 0:
		s.makingPolls = defaultMakingPolls
	case s.makingPolls < 0:
		s.makingPolls = 0
	}
	for pub, priv := range opts.Accounts {
		s.accounts[pub] = priv
	}
	for action, f := range opts.Faults {
		s.SetFault(action, f)
	}
	return s
}

// Handler returns the HTTP handler that answers API requests on path "/"
// and serves demo objects under /ufile/ (objects.go).
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Start listens on 127.0.0.1 on a free port and serves in the background.
// It returns the base URL, such as "http://127.0.0.1:41234" (no trailing
// slash). A Server can be started once.
func (s *Server) Start() (baseURL string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("demoapi: server is closed")
	}
	if s.srv != nil {
		return "", errors.New("demoapi: server already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// Connection noise (clients hanging up mid-fault) is expected here.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s.url = "http://" + ln.Addr().String()
	go s.srv.Serve(ln)
	return s.url, nil
}

// URL returns the base URL given by Start, or "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops the listener, drops open connections and ends any delayed
// answers. It is safe to call more than once, and without Start.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.mu.Lock()
	s.closed = true
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
	s.uploads.close()
}

// maxBody bounds a request body; real parameters are far smaller.
const maxBody = 1 << 20

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if isObjectPath(r.URL.Path) {
		if !s.serveUpload(w, r) {
			s.serveObject(w, r)
		}
		return
	}
	// The API lives at the root; a client that builds "//?Action=" or
	// "/v1?Action=" has a URL bug worth catching here.
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	// r.Form holds body values before query values, so Action may come from
	// either; a form body wins when both carry a key.
	parseErr := r.ParseForm()
	params := make(map[string]string, len(r.Form))
	for k, vs := range r.Form {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	action := params["Action"]
	f, faulted := s.takeFault(action)
	idx := s.record(Request{
		Action:         action,
		Method:         r.Method,
		Params:         params,
		SignatureValid: s.signatureValid(params),
		Faulted:        faulted,
		Time:           time.Now(),
		RetCode:        -1,
	})

	if faulted && f.Delay > 0 && !s.wait(r, f.Delay) {
		s.logLine(r.Method, action, "abandoned during delay")
		return // the client or the server gave up: nobody reads an answer
	}
	if faulted && f.raw() {
		s.writeRaw(w, f)
		s.logLine(r.Method, action, "fault HTTP "+strconv.Itoa(f.status()))
		return
	}

	var out reply
	if faulted && f.RetCode != 0 {
		out = failure(action, f.RetCode, f.Message) // the action is not performed
	} else {
		out = s.handle(params, parseErr)
		withObjectBase(out, r) // DescribeBucket names this server's own address (bucket.go)
	}
	code, _ := out["RetCode"].(int)
	s.finish(idx, code)
	s.writeJSON(w, out, f, faulted)
	s.logLine(r.Method, action, "RetCode="+strconv.Itoa(code))
}

// handle authenticates and dispatches one request. Signature checks come
// first, as a gateway would do them before routing the action.
func (s *Server) handle(params map[string]string, parseErr error) reply {
	action := params["Action"]
	if parseErr != nil {
		// docs/API.md: a GET with badly escaped characters is answered 172.
		return failure(action, 172, "User not exist")
	}
	if code, msg := s.authenticate(params); code != 0 {
		return failure(action, code, msg)
	}
	if action == "" {
		return failure(action, 160, "Missing Action")
	}
	h, ok := actions[action]
	if !ok {
		return failure(action, 161, "Action ["+action+"] not exist")
	}
	return h(s, params)
}

// actions maps each supported Action to its handler.
var actions = map[string]func(*Server, map[string]string) reply{
	"ImportCustomImage": (*Server).importCustomImage,
	"DescribeImage":     (*Server).describeImage,
	"GetRegion":         (*Server).getRegion,
	"GetProjectList":    (*Server).getProjectList,
	"DescribeBucket":    (*Server).describeBucket,  // bucket.go
	"CopyCustomImage":   (*Server).copyCustomImage, // copy.go
}

// reply is one JSON answer. A map keeps fault rewriting (RetCode as a
// string) trivial; encoding/json sorts its keys, which clients must not mind.
type reply map[string]any

// success starts a RetCode 0 answer for action.
func success(action string) reply {
	return reply{"RetCode": 0, "Action": action + "Response"}
}

// failure is an error answer. Action is omitted when none was received.
func failure(action string, code int, msg string) reply {
	out := reply{"RetCode": code, "Message": msg}
	if action != "" {
		out["Action"] = action + "Response"
	}
	return out
}

func (s *Server) writeJSON(w http.ResponseWriter, out reply, f Fault, faulted bool) {
	if faulted && f.RetCodeAsString {
		out["RetCode"] = strconv.Itoa(out["RetCode"].(int))
	}
	b, err := json.Marshal(out)
	if err != nil {
		http.Error(w, "demoapi: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if faulted && f.Truncate {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK) // the real API answers 200 even on failure
	w.Write(b)
}
