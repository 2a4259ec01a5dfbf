package imageformat

import (
	"encoding/binary"
	"math"
	"strings"
)

// Bounds-checked field readers: a header may be cut short, and Sniff must
// never panic on any input. A field that does not fit reads as 0.

func be32(b []byte, off int) uint32 {
	if off < 0 || off+4 > len(b) {
		return 0
	}
	return binary.BigEndian.Uint32(b[off:])
}

func be64(b []byte, off int) uint64 {
	if off < 0 || off+8 > len(b) {
		return 0
	}
	return binary.BigEndian.Uint64(b[off:])
}

func le16(b []byte, off int) uint16 {
	if off < 0 || off+2 > len(b) {
		return 0
	}
	return binary.LittleEndian.Uint16(b[off:])
}

func le32(b []byte, off int) uint32 {
	if off < 0 || off+4 > len(b) {
		return 0
	}
	return binary.LittleEndian.Uint32(b[off:])
}

func le64(b []byte, off int) uint64 {
	if off < 0 || off+8 > len(b) {
		return 0
	}
	return binary.LittleEndian.Uint64(b[off:])
}

// at reports whether b holds magic at off.
func at(b []byte, off int, magic string) bool {
	return off >= 0 && off+len(magic) <= len(b) && string(b[off:off+len(magic)]) == magic
}

// toSize converts an unsigned size field, treating absurd values (beyond
// int64) as unknown.
func toSize(v uint64) int64 {
	if v > math.MaxInt64 {
		return 0
	}
	return int64(v)
}

// mulSize is a*b for size fields, 0 (unknown) on overflow.
func mulSize(a, b uint64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return 0
	}
	return toSize(a * b)
}

// printable keeps a name read from a file safe to show on a terminal: no
// control characters (which could forge output), bounded length.
func printable(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	const maxLen = 128
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(string(b), "?"))
	if len(s) > maxLen {
		s = s[:maxLen] + "..."
	}
	return s
}
