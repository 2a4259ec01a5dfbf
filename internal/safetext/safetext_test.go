package safetext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":                                       "",
		"plain ASCII, 中文说明 and ü":                "plain ASCII, 中文说明 and ü",
		"\x1b]0;PWNED\x07evil\ninjected":         `\x1b]0;PWNED\x07evil\ninjected`,
		"a\rb\tc\x7fd":                           `a\rb\tc\x7fd`,
		"c1 \u0085 \u009b31m":                    `c1 \u0085 \u009b31m`,
		"bidi \u202egnp.exe\u202c \u2066x\u2069": `bidi \u202egnp.exe\u202c \u2066x\u2069`,
		"sep\u2028line":                          `sep\u2028line`,
		"bad \xff\xfe utf8 \xe4\xb8":             `bad \xff\xfe utf8 \xe4\xb8`,
		`C:\path\file`:                           `C:\path\file`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	if got := EscapeMultiline("one\n\ttwo\r\x1b[2J"); got != "one\n\ttwo\\r\\x1b[2J" {
		t.Errorf("EscapeMultiline = %q", got)
	}
	if !IsSafe("ok 好") || IsSafe("no\n") {
		t.Error("IsSafe")
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\x1bb", "\xff", "\u202e", "line\nbreak", "中文"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, multi := range []bool{false, true} {
			out := escape(s, multi)
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
			for _, r := range out {
				if multi && (r == '\n' || r == '\t') {
					continue
				}
				if unicode.IsControl(r) || unsafeRune(r, false) {
					t.Fatalf("%q left %U in %q", s, r, out)
				}
			}
			if IsSafe(s) && out != s {
				t.Fatalf("safe %q changed to %q", s, out)
			}
			if !multi && strings.ContainsAny(out, "\n\r") {
				t.Fatalf("line break in %q", out)
			}
		}
	})
}
