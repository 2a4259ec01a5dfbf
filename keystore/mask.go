package keystore

import (
	"strings"
	"unicode"
)

// maskGap stands for the hidden part of a key.
const maskGap = "…"

// MaskPublicKey shortens a public key to something a person can recognise
// ("uclo…6120") without it being usable or fully disclosed. Keys shorter than
// 12 characters keep only their first quarter, so at least three quarters stay
// hidden. An empty key gives "". Control characters are shown as '?' so a key
// read from a damaged file cannot drive the terminal.
//
// Nothing in this package ever shows a private key, masked or not.
func MaskPublicKey(s string) string {
	r := []rune(s)
	for i, c := range r {
		if unicode.IsControl(c) {
			r[i] = '?'
		}
	}
	switch n := len(r); {
	case n == 0:
		return ""
	case n >= 12:
		return string(r[:4]) + maskGap + string(r[n-4:])
	default:
		return string(r[:n/4]) + maskGap
	}
}

// maskedOrNone is MaskPublicKey for messages, where an empty key must still
// read as something.
func maskedOrNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return MaskPublicKey(s)
}
