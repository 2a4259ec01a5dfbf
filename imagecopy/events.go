package imagecopy

import (
	"errors"
	"sync"
	"time"
)

// EventKind says what an Event reports.
type EventKind int

const (
	EventSending        EventKind = iota // a CopyCustomImage to Region is about to go out (already journalled)
	EventSent                            // the API named the copy: ImageID
	EventSendFailed                      // Err; the Result says whether the copy may exist anyway
	EventProgress                        // a poll of a copy: State ("" while not visible yet), Elapsed, a transient Err
	EventDone                            // a followed copy ended: State, or Err
	EventJournalWarning                  // an outcome or state could not be journalled: Err (the copy itself is fine)
)

// Event is one step of a copy, for progress output.
type Event struct {
	Kind      EventKind
	Region    string // the target region
	ProjectID string
	ImageID   string
	State     string
	Elapsed   time.Duration
	Err       error
}

// emitter serialises OnEvent calls, which come from one goroutine per copy.
type emitter struct {
	mu sync.Mutex
	fn func(Event)
}

func (e *emitter) emit(ev Event) {
	if e.fn == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fn(ev)
}

// AllAvailable reports whether every copy was made and, if followed, is
// Available.
func AllAvailable(results []Result) bool {
	for _, r := range results {
		if !r.OK() {
			return false
		}
	}
	return true
}

// Unavailable lists the results whose copy became Unavailable (exit 5 in
// the CLI).
func Unavailable(results []Result) []Result {
	var out []Result
	for _, r := range results {
		var ue *UnavailableError
		if errors.As(r.Err, &ue) {
			out = append(out, r)
		}
	}
	return out
}
