// Package safetext makes untrusted text (server messages, file names,
// ids from an answer, lines read back from a file) safe to print on a
// terminal or write to a log: nothing in it can move the cursor, retitle
// the window, ring the bell, reorder the line (bidi overrides) or start a
// new line that looks like uimport's own output. What is escaped stays
// visible, as Go-style escapes (\x1b, \n, \u202e), so nothing is hidden.
package safetext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every control character (C0, DEL, C1, including
// CR, LF and TAB), bidi control, line or paragraph separator, and invalid
// UTF-8 byte replaced by a visible escape. Text with none of these is
// returned unchanged.
func Escape(s string) string { return escape(s, false) }

// EscapeMultiline is Escape for text shown as several lines: LF and TAB
// are kept, everything else Escape replaces is escaped the same way (a
// CR, which could overwrite a line, is escaped).
func EscapeMultiline(s string) string { return escape(s, true) }

func escape(s string, multiline bool) string {
	i := firstUnsafe(s, multiline)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case !unsafeRune(r, multiline):
			b.WriteString(s[i : i+n])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		default:
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", max(0, 4-len(h))) + h)
		}
		i += n
	}
	return b.String()
}

// firstUnsafe is the byte offset of the first thing to escape, or -1.
func firstUnsafe(s string, multiline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || unsafeRune(r, multiline) {
			return i
		}
		i += n
	}
	return -1
}

// unsafeRune: C0 controls and DEL, C1 controls, the bidi controls
// (embeddings, overrides, isolates, marks) and the Unicode line and
// paragraph separators.
func unsafeRune(r rune, multiline bool) bool {
	switch {
	case multiline && (r == '\n' || r == '\t'):
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// IsSafe reports whether Escape would return s unchanged.
func IsSafe(s string) bool { return firstUnsafe(s, false) < 0 }

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
