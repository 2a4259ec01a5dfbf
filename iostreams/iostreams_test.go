package iostreams

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestDecisions(t *testing.T) {
	var out, errOut bytes.Buffer
	s := Test(strings.NewReader(""), &out, &errOut)
	if s.CanPrompt() || s.LiveProgress() || s.Accessible() || s.TerminalWidth() != 80 {
		t.Errorf("test streams are not terminals: %+v", s)
	}
	s.SetTTY(true, false, true)
	if !s.CanPrompt() || !s.LiveProgress() {
		t.Error("stdin and stderr terminals: may prompt, may draw live")
	}
	env := map[string]string{"TERM": "dumb"}
	s.SetEnv([]string{"TERM=dumb"}, func(k string) string { return env[k] })
	if !s.Accessible() || s.LiveProgress() {
		t.Error("TERM=dumb is accessible, with plain progress")
	}
	env = map[string]string{}
	s.SetAccessible(true)
	if !s.Accessible() {
		t.Error("--accessible")
	}
}

// Without a terminal the colour writer drops every escape.
func TestColorErrWithoutTerminal(t *testing.T) {
	var errOut bytes.Buffer
	s := Test(nil, nil, &errOut)
	s.ColorErr().Write([]byte(OKLine("done") + "\n"))
	if errOut.String() != "✓ done\n" {
		t.Errorf("%q", errOut.String())
	}
}

func TestErrorLines(t *testing.T) {
	r := ErrorReport{Message: "first\nsecond", Means: "it means", ToDo: "do this"}
	got := ansi.Strip(strings.Join(ErrorLines("Error:", r, 0), "\n"))
	if got != "Error: first\n  second\nWhat it means: it means\nWhat to do: do this" {
		t.Errorf("command line:\n%s", got)
	}
	long := ErrorReport{Message: strings.Repeat("word ", 20)}
	for _, l := range strings.Split(ansi.Strip(strings.Join(ErrorLines("✗", long, 30), "\n")), "\n") {
		if ansi.StringWidth(l) > 30 {
			t.Errorf("line wider than 30: %q", l)
		}
	}
	if got := ErrorLines("Error:", ErrorReport{Message: "a\nb"}, -1); ansi.Strip(got[0]) != "Error: a\nb" {
		t.Errorf("as is: %q", got)
	}
}

// A live line is cut to the width and cleared once.
func TestLiveLine(t *testing.T) {
	var errOut bytes.Buffer
	s := Test(nil, nil, &errOut)
	s.SetTTY(false, false, true)
	s.SetEnv([]string{"TERM=xterm-256color"}, func(string) string { return "" })
	s.SetWidth(11)
	l := s.NewLiveLine()
	l.Draw("0123456789abcdef")
	l.Clear()
	l.Clear()
	if got := errOut.String(); got != "\r012345678…\x1b[K\r\x1b[K" {
		t.Errorf("%q", got)
	}
}
