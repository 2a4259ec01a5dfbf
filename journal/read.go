package journal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"time"

	"github.com/uimport/uimport/internal/safetext"
)

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

// MaxLineLen bounds one journal line: real lines are well under 4 KiB,
// so a longer one is damage (or tampering) and is skipped, never held.
const MaxLineLen = 1 << 20

// Read returns every submit, newest first. Lines that do not parse (a
// crash mid-write), and lines longer than MaxLineLen, are skipped and
// counted in skipped: a damaged line never hides the others. A journal
// that is a symbolic link is refused. The text fields of each Entry are
// escaped (safetext), since the file may have been written by anyone.
func Read(path string) (entries []Entry, skipped int, err error) {
	f, err := openNoFollow(path, os.O_RDONLY)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	byID := map[string]*Entry{}
	var order []*Entry
	states := map[string]string{}
	lr := lineReader{r: bufio.NewReaderSize(f, 64<<10), max: MaxLineLen}
	for {
		b, ok, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, skipped, fmt.Errorf("journal: %w", err)
		}
		var l line
		if !ok || json.Unmarshal(b, &l) != nil {
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
	for _, e := range order {
		if s, ok := states[e.ImageID]; ok && e.ImageID != "" {
			e.State = s
		}
		entries = append(entries, e.escaped())
	}
	sort.SliceStable(entries, func(a, b int) bool { return entries[a].SentAt.After(entries[b].SentAt) })
	return entries, skipped, nil
}

// escaped returns e with every text field made safe to print.
func (e Entry) escaped() Entry {
	x := safetext.Escape
	e.ID, e.Profile, e.BaseURL, e.ImageID, e.Error, e.State = x(e.ID), x(e.Profile), x(e.BaseURL), x(e.ImageID), x(e.Error), x(e.State)
	if e.Params != nil {
		p := make(map[string]string, len(e.Params))
		for k, v := range e.Params {
			p[x(k)] = x(v)
		}
		e.Params = p
	}
	return e
}

// lineReader yields lines of any length without holding more than max
// bytes of one: a longer line is read through and reported as not ok.
type lineReader struct {
	r   *bufio.Reader
	max int
	buf []byte
}

// next returns the next line without its newline; ok is false for a line
// over max. A last line without a newline is returned too. err is io.EOF
// at the end.
func (lr *lineReader) next() (line []byte, ok bool, err error) {
	lr.buf = lr.buf[:0]
	over := false
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !over {
			if len(lr.buf)+len(chunk) > lr.max+1 { // +1: the newline
				over, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(lr.buf) == 0 && !over {
				return nil, false, io.EOF
			}
			if over || len(lr.buf) > lr.max {
				return nil, false, nil
			}
			return lr.buf, true, nil
		case err != nil:
			return nil, false, err
		}
		if over {
			return nil, false, nil
		}
		return lr.buf[:len(lr.buf)-1], true, nil
	}
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
