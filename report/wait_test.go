package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/iostreams"
)

// Without a terminal: a timestamped line when the state changes, else one
// every 30 s; a retry says why on its own line.
func TestWaitProgressPlainLines(t *testing.T) {
	var errOut bytes.Buffer
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	p := NewWaitProgress(iostreams.Test(nil, &bytes.Buffer{}, &errOut), "uimage-a", func() time.Time { return now })
	for i := range 12 { // 60 s of 5 s polls, Making throughout
		p.Update(follow.Update{State: "Making", Elapsed: time.Duration(i) * 5 * time.Second})
		now = now.Add(5 * time.Second)
	}
	p.Update(follow.Update{State: "Making", Err: errors.New("timeout\nmore"), Elapsed: time.Minute})
	p.Update(follow.Update{State: "Available", Elapsed: 65 * time.Second})
	p.Clear()
	want := []string{
		"10:00:00 uimage-a: Making (0s)",
		"10:00:30 uimage-a: Making (30s)",
		"10:01:00 uimage-a: Making (retrying: timeout) (1m0s)",
		"10:01:00 uimage-a: Available (1m5s)",
	}
	if got := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", errOut.String(), strings.Join(want, "\n"))
	}
}
