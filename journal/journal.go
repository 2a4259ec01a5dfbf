// Package journal records every import submit in the OS state directory, so
// that a dropped SSH session or a killed process never leaves the user
// wondering whether an import was sent. The "sent" line is written and synced
// BEFORE the request leaves; the outcome is appended after.
package journal

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
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

	mu    sync.Mutex
	notes []string
}

// Notes are things worth telling the user about the journal file that
// did not stop a write, such as a mode that was too open and was fixed.
func (j *Journal) Notes() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.notes)
}

// fixMode makes the journal private again if something widened its mode
// (it names every image and bucket imported): chmod 0600, and a note.
func (j *Journal) fixMode(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; move it away", j.path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("%s is readable by others (mode %04o) and could not be made private: %w", j.path, perm, err)
		}
		j.mu.Lock()
		j.notes = append(j.notes, fmt.Sprintf("The journal %s was readable by others (mode %04o); it is now 0600.", j.path, perm))
		j.mu.Unlock()
	}
	return nil
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
	f, err := openNoFollow(j.path, os.O_RDWR|os.O_APPEND|os.O_CREATE)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := j.fixMode(f); err != nil {
		f.Close()
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
