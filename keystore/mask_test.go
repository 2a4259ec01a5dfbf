package keystore

import "testing"

func TestMaskPublicKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "…"},
		{"abcd", "a…"},
		{"abcdefgh", "ab…"},
		{"abcdefghijk", "ab…"},
		{"abcdefghijkl", "abcd…ijkl"},
		{testPublicKey, "uclo…6120"},
		{"ключключключ", "ключ…ключ"},       // runes, not bytes
		{"ab\x1b[31mcdefghij", "ab?[…ghij"}, // no terminal escapes
	}
	for _, tt := range tests {
		if got := MaskPublicKey(tt.in); got != tt.want {
			t.Errorf("MaskPublicKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
