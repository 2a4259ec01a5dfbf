package demoapi

import (
	"io"
	"net/http"
	"slices"
	"time"
)

// Object call names, for UploadFault.Op and UploadRequest.Op.
const (
	OpInitiate = "InitiateMultipartUpload"
	OpPart     = "UploadPart"
	OpFinish   = "FinishMultipartUpload"
	OpAbort    = "AbortMultipartUpload"
	OpList     = "ListParts"
	OpPut      = "PutFile"
	OpDelete   = "DeleteFile"
	OpGet      = "GetUploadedObject" // GET or HEAD of an uploaded object
)

// UploadFault makes object calls misbehave the way networks and storage
// do. The zero fields do nothing; combine as needed. Like Fault, a fault
// acts before the signature check, as a gateway would.
type UploadFault struct {
	// Op is the call it applies to ("" = every object call).
	Op string
	// Parts limits an OpPart fault to these part numbers (nil = all).
	Parts []int
	// Delay holds the call back before anything else happens; it ends
	// early when the client gives up or the server closes.
	Delay time.Duration
	// Status answers this HTTP status with UFile's JSON error body
	// (RetCode, Message), after reading the request body; the call is not
	// performed. E.g. 500 for retry tests, 403 with -148658.
	Status  int
	RetCode int
	Message string
	// Cut closes the connection with no answer: UploadPart and PutFile
	// after reading half the body (nothing stored); any other call after
	// it was performed (the answer is lost: a retried Finish then finds
	// its upload finished).
	Cut bool
	// BytesPerSecond reads the body no faster than this: a slow link.
	BytesPerSecond int64
	// Corrupt stores a part (or PutFile object) with one byte flipped and
	// answers the ETag of what was stored: the client's part check sees it.
	Corrupt bool
	// CorruptSilently flips a byte too, but answers the ETag of what was
	// received, as if the disk rotted afterwards: only the finished
	// object's ETag (Finish's answer, HEAD) gives it away.
	CorruptSilently bool
	// Times limits the fault to the next Times matching calls (0 = all).
	Times int
}

type uploadFaultState struct {
	f    UploadFault
	left int
}

// SetUploadFault adds a fault. The first installed fault that matches a
// call applies to it.
func (s *Server) SetUploadFault(f UploadFault) {
	u := s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	u.faults = append(u.faults, &uploadFaultState{f: f, left: f.Times})
}

// ClearUploadFaults removes every upload fault.
func (s *Server) ClearUploadFaults() {
	u := s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	u.faults = nil
}

func (u *uploadStore) takeFault(op string, part int) (UploadFault, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for i, fs := range u.faults {
		if fs.f.Op != "" && fs.f.Op != op || fs.f.Parts != nil && !slices.Contains(fs.f.Parts, part) {
			continue
		}
		if fs.f.Times > 0 {
			if fs.left--; fs.left <= 0 {
				u.faults = slices.Delete(u.faults, i, i+1)
			}
		}
		return fs.f, true
	}
	return UploadFault{}, false
}

// UploadRequest is one object call as the server received it.
type UploadRequest struct {
	Op       string
	Bucket   string
	Key      string
	UploadID string // the id named, or made by Initiate
	Part     int    // the part number, -1 for other calls
	Size     int64  // Content-Length announced (-1 unknown)
	Faulted  bool
	// Status is the HTTP status answered; 0 while in flight or when the
	// connection was cut.
	Status int
	Time   time.Time
}

// UploadRequests returns every object call that wrote, listed or read
// uploaded objects, oldest first.
func (s *Server) UploadRequests() []UploadRequest {
	u := s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.log)
}

// PartsStored counts, per part number of uploadID, the UploadPart calls
// answered 200. A part sent again after it was stored counts twice.
func (s *Server) PartsStored(uploadID string) map[int]int {
	out := map[int]int{}
	for _, r := range s.UploadRequests() {
		if r.Op == OpPart && r.UploadID == uploadID && r.Status == http.StatusOK {
			out[r.Part]++
		}
	}
	return out
}

// PartsInFlight is how many UploadPart calls the server is serving now.
// A client that gave up on a part may still see it stored afterwards: the
// server had its body already (tests wait for 0 before resuming).
func (s *Server) PartsInFlight() int {
	u := s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.inFlight
}

// MaxPartsInFlight is the most UploadPart calls the server was serving at
// once.
func (s *Server) MaxPartsInFlight() int {
	u := s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.maxInFlight
}

// throttled reads no faster than bps bytes per second, in tenth-of-a-
// second slices, and stops when the client or the server goes away.
type throttled struct {
	r    io.Reader
	bps  int64
	stop <-chan struct{}
	gone <-chan struct{}
}

func (t *throttled) Read(p []byte) (int, error) {
	chunk := max(t.bps/10, 1)
	if int64(len(p)) > chunk {
		p = p[:chunk]
	}
	n, err := t.r.Read(p)
	wait := time.Duration(float64(n) / float64(t.bps) * float64(time.Second))
	select {
	case <-time.After(wait):
	case <-t.stop:
		return n, io.ErrUnexpectedEOF
	case <-t.gone:
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}
