package ufile

import (
	"crypto/sha1"
	"encoding/base64"
	"strings"
	"testing"
)

// ETagFromHashes rebuilds every docs/UFILE.md vector from block hashes, the way
// an uploader that hashes blocks as it reads them does.
func TestETagFromHashesVectors(t *testing.T) {
	zero4 := sha1.Sum(make([]byte, ETagBlockSize))
	one := sha1.Sum([]byte{0})
	for _, tc := range []struct {
		name   string
		hashes [][sha1.Size]byte
		want   string
	}{
		{"(i) abc", [][sha1.Size]byte{sha1.Sum([]byte("abc"))}, "AQAAAKmZPjZHBoFquj4lcXhQwmyc0Nid"},
		{"(ii) 4 MiB zeros", [][sha1.Size]byte{zero4}, "AQAAACvMvS848VwT631aif2dhfWV4jvD"},
		{"(iii) 4 MiB + 1 zeros", [][sha1.Size]byte{zero4, one}, "AgAAABCFgki5yzon0rjN9uJusf6qtsF6"},
		{"8 MiB zeros", [][sha1.Size]byte{zero4, zero4}, "AgAAAMCVE24-Immdd6zm-ffVVhsWYcDG"},
		{"empty", nil, EmptyETags[0]},
	} {
		if got := ETagFromHashes(tc.hashes); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	// (iii)'s part hashes as docs/UFILE.md prints them.
	if PartETag(make([]byte, ETagBlockSize)) != "K8y9LzjxXBPrfVqJ_Z2F9ZXiO8M=" {
		t.Error("part hash of (iii)")
	}
}

func TestCheckPartETag(t *testing.T) {
	part := make([]byte, ETagBlockSize)
	sum := sha1.Sum(part)
	long := base64.URLEncoding.EncodeToString(append([]byte{1, 0, 0, 0}, sum[:]...))
	two := base64.URLEncoding.EncodeToString(append([]byte{2, 0, 0, 0}, sum[:]...))
	other := sha1.Sum([]byte("other"))
	for etag, want := range map[string]PartCheck{
		"K8y9LzjxXBPrfVqJ_Z2F9ZXiO8M=":   PartMatch, // the ListParts doc example
		`"K8y9LzjxXBPrfVqJ_Z2F9ZXiO8M="`: PartMatch, // quoted, as a header
		"K8y9LzjxXBPrfVqJ_Z2F9ZXiO8M":    PartMatch, // unpadded
		"K8y9LzjxXBPrfVqJ/Z2F9ZXiO8M=":   PartMatch, // standard alphabet
		long:                             PartMatch, // the UploadPart doc's 32-character form
		PartETag([]byte("other")):        PartMismatch,
		base64.URLEncoding.EncodeToString(append([]byte{1, 0, 0, 0}, other[:]...)): PartMismatch,
		two:                                PartUnrecognised, // a block count other than 1
		"900150983cd24fb0d6963f7d28e17f72": PartUnrecognised, // a hex MD5
		"not base64!":                      PartUnrecognised,
		"":                                 PartUnrecognised,
	} {
		if got := CheckPartETag(etag, sum); got != want {
			t.Errorf("CheckPartETag(%q) = %v, want %v", etag, got, want)
		}
	}
}

func TestETagCount(t *testing.T) {
	if n, ok := ETagCount("AgAAABCFgki5yzon0rjN9uJusf6qtsF6"); !ok || n != 2 {
		t.Errorf("count %d %v", n, ok)
	}
	if _, ok := ETagCount("K8y9LzjxXBPrfVqJ_Z2F9ZXiO8M="); ok {
		t.Error("a 20-byte hash has no count")
	}
	if StripETag(` W/"abc" `) != "abc" || strings.Contains(StripETag(`"x"`), `"`) {
		t.Error("StripETag")
	}
}
