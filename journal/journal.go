// Package journal records every import submit in the OS state directory, so
// that a dropped SSH session or a killed process never leaves the user
// wondering whether an import was sent. The "sent" line is written and synced
// BEFORE the request leaves; the outcome is appended after.
package journal

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// FileName is the journal's name inside the state directory.
const FileName = "imports.jsonl"

// Path is <state dir>/uimport/imports.jsonl.
func Path(stateDir string) string { return filepath.Join(stateDir, "uimport", FileName) }

// Event kinds, one JSON line each.
const (
	EventSent    = "sent"    // written before the request leaves
	EventOutcome = "outcome" // the answer: ImageId or error
	EventState   = "state"   // a later observed image state (from --wait / status)
)

// line is one JSON line of the file.
type line struct {
	ID      string            `json:"id"`
	Event   string            `json:"event"`
	Time    time.Time         `json:"time"`
	Profile string            `json:"profile,omitempty"`
	BaseURL string            `json:"base_url,omitempty"`
	Demo    bool              `json:"demo,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	ImageID string            `json:"image_id,omitempty"`
	Error   string            `json:"error,omitempty"`
	// Uncertain marks an error after which the import may still have
	// reached the server (a timeout, a cut connection).
	Uncertain bool   `json:"uncertain,omitempty"`
	State     string `json:"state,omitempty"`
}

// Journal appends to one file.
type Journal struct {
	path string
	now  func() time.Time
}

// Open returns a journal at path; the file is created on first write.
func Open(path string) *Journal { return &Journal{path: path, now: time.Now} }

// Path returns the file's path.
func (j *Journal) Path() string { return j.path }

// Submit is what Sent records of one submit.
type Submit struct {
	Profile string
	BaseURL string
	Demo    bool
	Params  map[string]string // the request's parameters; secrets are dropped here
}

// secretParams are never written: the signature authenticates this exact
// request, and the public key is an account identifier.
var secretParams = map[string]bool{"Signature": true, "PublicKey": true, "PrivateKey": true}

// Sent records a submit before it is sent and returns its id. If this fails
// the caller must not send: an import nobody can trace is what this prevents.
func (j *Journal) Sent(s Submit) (string, error) {
	id, err := newID()
	if err != nil {
		return "", err
	}
	params := make(map[string]string, len(s.Params))
	for k, v := range s.Params {
		if secretParams[k] || v == "" {
			continue
		}
		if k == "UFileUrl" {
			v = StripQuery(v)
		}
		params[k] = v
	}
	return id, j.append(line{ID: id, Event: EventSent, Time: j.now(), Profile: s.Profile, BaseURL: StripQuery(s.BaseURL), Demo: s.Demo, Params: params})
}

// Outcome records the answer to submit id: an ImageId, or the error text.
// uncertain says the request may have arrived despite the error.
func (j *Journal) Outcome(id, imageID string, sendErr error, uncertain bool) error {
	l := line{ID: id, Event: EventOutcome, Time: j.now(), ImageID: imageID, Uncertain: uncertain}
	if sendErr != nil {
		l.Error = sendErr.Error()
	}
	return j.append(l)
}

// State records an image state seen later, e.g. Available after --wait.
func (j *Journal) State(imageID, state string) error {
	return j.append(line{ID: "", Event: EventState, Time: j.now(), ImageID: imageID, State: state})
}

// append writes one line with a single O_APPEND write and syncs it, so
// concurrent writers never interleave and a crash loses at most this line.
func (j *Journal) append(l line) error {
	data, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	f, err := os.OpenFile(j.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	data = append(data, '\n')
	if tornTail(f) {
		// A crash cut the last line short: end it so this one stays whole.
		data = append([]byte{'\n'}, data...)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	return f.Close()
}

// tornTail reports whether the file ends without a newline.
func tornTail(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return false
	}
	b := make([]byte, 1)
	_, err = f.ReadAt(b, fi.Size()-1)
	return err == nil && b[0] != '\n'
}

// StripQuery drops a URL's query and fragment: pre-signed UFile URLs carry a
// signature there.
func StripQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

func newID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Entry is one submit as history shows it.
type Entry struct {
	ID       string            `json:"id"`
	SentAt   time.Time         `json:"sent_at"`
	Profile  string            `json:"profile,omitempty"`
	BaseURL  string            `json:"base_url,omitempty"`
	Demo     bool              `json:"demo,omitempty"`
	Params   map[string]string `json:"params"`
	Answered bool              `json:"answered"`
	ImageID  string            `json:"image_id,omitempty"`
	Error    string            `json:"error,omitempty"`
	// Uncertain: an error came back, but the import may have arrived.
	Uncertain bool   `json:"uncertain,omitempty"`
	State     string `json:"state,omitempty"`
}

// OutcomeUnknown reports a submit that was sent and whose fate is not known:
// never answered (a crash, a dropped session) or cut off mid-answer.
func (e Entry) OutcomeUnknown() bool { return !e.Answered || e.Uncertain }

// Read returns every submit, newest first. Lines that do not parse (a crash
// mid-write) are skipped and counted in skipped.
func Read(path string) (entries []Entry, skipped int, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	byID := map[string]*Entry{}
	var order []*Entry
	states := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var l line
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			skipped++
			continue
		}
		switch l.Event {
		case EventSent:
			e := &Entry{ID: l.ID, SentAt: l.Time, Profile: l.Profile, BaseURL: l.BaseURL, Demo: l.Demo, Params: l.Params}
			byID[l.ID] = e
			order = append(order, e)
		case EventOutcome:
			if e := byID[l.ID]; e != nil {
				e.Answered, e.ImageID, e.Error, e.Uncertain = true, l.ImageID, l.Error, l.Uncertain
			}
		case EventState:
			states[l.ImageID] = l.State
		}
	}
	if err := sc.Err(); err != nil {
		return nil, skipped, err
	}
	for _, e := range order {
		if s, ok := states[e.ImageID]; ok && e.ImageID != "" {
			e.State = s
		}
		entries = append(entries, *e)
	}
	sort.SliceStable(entries, func(a, b int) bool { return entries[a].SentAt.After(entries[b].SentAt) })
	return entries, skipped, nil
}

// FindImage returns the newest entry for imageID, to recall its region.
func FindImage(entries []Entry, imageID string) (Entry, bool) {
	for _, e := range entries {
		if e.ImageID == imageID {
			return e, true
		}
	}
	return Entry{}, false
}
