package journal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testJournal(t *testing.T) *Journal {
	t.Helper()
	j := Open(Path(t.TempDir()))
	base := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	n := 0
	j.now = func() time.Time { n++; return base.Add(time.Duration(n) * time.Minute) }
	return j
}

var params = map[string]string{
	"Action": "ImportCustomImage", "Region": "sg", "ImageName": "web",
	"UFileUrl":  "https://b.sg.ufileos.com/x.qcow2?UCloudPublicKey=pub&Signature=sig&Expires=1",
	"PublicKey": "pub-key-123", "Signature": "deadbeef", "Tag": "",
}

func TestSentThenOutcome(t *testing.T) {
	j := testJournal(t)
	id, err := j.Sent(Submit{Profile: "default", BaseURL: "https://api.scloudsg.com", Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Outcome(id, "uimage-abc", nil, false); err != nil {
		t.Fatal(err)
	}
	if err := j.State("uimage-abc", "Available"); err != nil {
		t.Fatal(err)
	}
	entries, skipped, err := Read(j.Path())
	if err != nil || skipped != 0 || len(entries) != 1 {
		t.Fatalf("Read = %v, %d, %v", entries, skipped, err)
	}
	e := entries[0]
	if !e.Answered || e.ImageID != "uimage-abc" || e.State != "Available" || e.Params["ImageName"] != "web" {
		t.Errorf("entry = %+v", e)
	}
	if got := e.Params["UFileUrl"]; got != "https://b.sg.ufileos.com/x.qcow2" {
		t.Errorf("UFileUrl kept its query: %q", got)
	}
}

func TestNoSecretOrSignatureWritten(t *testing.T) {
	j := testJournal(t)
	if _, err := j.Sent(Submit{Params: params}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(j.Path())
	for _, secret := range []string{"deadbeef", "pub-key-123", "sig", "Signature", "UCloudPublicKey"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("journal contains %q: %s", secret, data)
		}
	}
	fi, err := os.Stat(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestSentWithoutOutcomeIsUnknown(t *testing.T) {
	j := testJournal(t)
	if _, err := j.Sent(Submit{Params: params}); err != nil {
		t.Fatal(err)
	}
	entries, _, _ := Read(j.Path())
	if len(entries) != 1 || !entries[0].OutcomeUnknown() {
		t.Fatalf("want one entry with unknown outcome, got %+v", entries)
	}
}

func TestErrorOutcomeAndNewestFirst(t *testing.T) {
	j := testJournal(t)
	a, _ := j.Sent(Submit{Params: map[string]string{"ImageName": "first"}})
	j.Outcome(a, "", errors.New("ImportCustomImage refused (RetCode 171)"), false)
	b, _ := j.Sent(Submit{Params: map[string]string{"ImageName": "second"}})
	j.Outcome(b, "uimage-2", nil, false)
	entries, _, _ := Read(j.Path())
	if len(entries) != 2 || entries[0].Params["ImageName"] != "second" || entries[1].Error == "" {
		t.Fatalf("entries = %+v", entries)
	}
	if e, ok := FindImage(entries, "uimage-2"); !ok || e.ID != b {
		t.Errorf("FindImage = %+v, %v", e, ok)
	}
}

// A crash in the middle of a write leaves a torn last line; the rest must
// still read.
func TestTornLineIsSkipped(t *testing.T) {
	j := testJournal(t)
	id, _ := j.Sent(Submit{Params: params})
	f, _ := os.OpenFile(j.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"` + id + `","event":"outc`)
	f.Close()
	entries, skipped, err := Read(j.Path())
	if err != nil || skipped != 1 || len(entries) != 1 || !entries[0].OutcomeUnknown() {
		t.Fatalf("Read = %+v, skipped %d, %v", entries, skipped, err)
	}
	// The next write must not be glued onto the torn line.
	b, _ := j.Sent(Submit{Params: map[string]string{"ImageName": "after"}})
	j.Outcome(b, "uimage-after", nil, false)
	entries, skipped, _ = Read(j.Path())
	if skipped != 1 || len(entries) != 2 || entries[0].ImageID != "uimage-after" {
		t.Fatalf("after a torn line: %+v, skipped %d", entries, skipped)
	}
}

func TestReadMissingIsEmpty(t *testing.T) {
	entries, skipped, err := Read(filepath.Join(t.TempDir(), "none.jsonl"))
	if err != nil || skipped != 0 || entries != nil {
		t.Fatalf("Read = %v, %d, %v", entries, skipped, err)
	}
}

func TestUncertainErrorIsUnknown(t *testing.T) {
	j := testJournal(t)
	id, _ := j.Sent(Submit{Params: params})
	j.Outcome(id, "", errors.New("ImportCustomImage: timed out"), true)
	entries, _, _ := Read(j.Path())
	if len(entries) != 1 || !entries[0].Answered || !entries[0].OutcomeUnknown() {
		t.Fatalf("a timed-out submit must read as outcome unknown: %+v", entries)
	}
}
