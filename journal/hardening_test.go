package journal

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One line over 1 MiB (or a garbled one) is skipped and counted; the
// entries around it are read.
func TestReadSkipsOverlongLines(t *testing.T) {
	j := testJournal(t)
	first, _ := j.Sent(Submit{Params: map[string]string{"ImageName": "first"}})
	f, err := os.OpenFile(j.Path(), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"x","event":"sent","params":{"ImageName":"` + strings.Repeat("A", 3<<20) + "\"}}\n")
	f.WriteString("garbage\n")
	f.Close()
	second, _ := j.Sent(Submit{Params: map[string]string{"ImageName": "second"}})
	j.Outcome(second, "uimage-two", nil, false)
	entries, skipped, err := Read(j.Path())
	if err != nil || skipped != 2 || len(entries) != 2 || entries[1].ID != first || entries[0].ImageID != "uimage-two" {
		t.Fatalf("Read = %+v, %d, %v", entries, skipped, err)
	}
}

func TestLineReader(t *testing.T) {
	in := "a\n" + strings.Repeat("b", 100) + "\n\nlast"
	r := lineReader{r: newSmallReader(in), max: 50}
	var got []string
	for {
		l, ok, err := r.next()
		if err != nil {
			break
		}
		if !ok {
			l = []byte("<long>")
		}
		got = append(got, string(l))
	}
	if strings.Join(got, "|") != "a|<long>||last" {
		t.Errorf("lines %q", got)
	}
}

// A journal replaced by a symbolic link is neither written through nor
// read through.
func TestSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("precious\n"), 0o600)
	j := testJournal(t)
	os.MkdirAll(filepath.Dir(j.Path()), 0o700)
	if err := os.Symlink(target, j.Path()); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Sent(Submit{Params: params}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Sent through a symlink: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" {
		t.Errorf("target written: %q", b)
	}
	if _, _, err := Read(j.Path()); err == nil {
		t.Error("Read followed the symlink")
	}
}

func TestOpenModeFixed(t *testing.T) {
	j := testJournal(t)
	j.Sent(Submit{Params: params})
	os.Chmod(j.Path(), 0o644)
	if _, err := j.Sent(Submit{Params: params}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(j.Path()); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if n := j.Notes(); len(n) != 1 || !strings.Contains(n[0], "0644") {
		t.Errorf("notes %q", n)
	}
}

func TestReadEscapes(t *testing.T) {
	j := testJournal(t)
	id, _ := j.Sent(Submit{Params: map[string]string{"ImageName": "a\x1b]0;PWNED\x07"}})
	j.Outcome(id, "\x1b]0;PWNED\x07evil\ninjected", errors.New("bad\r\nthing"), false)
	entries, _, _ := Read(j.Path())
	e := entries[0]
	for _, s := range []string{e.ImageID, e.Error, e.Params["ImageName"]} {
		if strings.ContainsAny(s, "\x1b\x07\r\n") {
			t.Errorf("raw control characters in %q", s)
		}
	}
}

func TestStateHome(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "")
	for _, home := range []string{"", "/", "relative"} {
		t.Setenv("HOME", home)
		if _, err := StateHome("/.local/state"); !errors.Is(err, ErrNoStateHome) {
			t.Errorf("HOME=%q: %v", home, err)
		}
	}
	t.Setenv("HOME", "/home/u")
	if d, err := StateHome("/home/u/.local/state"); err != nil || d != "/home/u/.local/state" {
		t.Errorf("StateHome = %q, %v", d, err)
	}
	t.Setenv("HOME", "")
	t.Setenv("XDG_STATE_HOME", "/var/lib/u/state")
	if d, err := StateHome(""); err != nil || d != "/var/lib/u/state" {
		t.Errorf("with XDG_STATE_HOME: %q, %v", d, err)
	}
}

func newSmallReader(s string) *bufio.Reader { return bufio.NewReaderSize(strings.NewReader(s), 16) }

func FuzzLineReader(f *testing.F) {
	for _, s := range []string{"", "\n", "a\nb", strings.Repeat("x", 40) + "\nend\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := lineReader{r: newSmallReader(s), max: 20}
		var n int
		for {
			l, ok, err := r.next()
			if err != nil {
				break
			}
			if n++; n > len(s)+1 || len(l) > 20 || !ok && l != nil || ok && strings.Contains(string(l), "\n") {
				t.Fatalf("line %q ok %v after %d lines of %q", l, ok, n, s)
			}
		}
	})
}
