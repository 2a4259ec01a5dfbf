package ufile

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
)

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func zeroReader(n int64) io.Reader { return io.LimitReader(zeros{}, n) }

// The docs/UFILE.md vectors (identical output from the Go SDK's GetFileEtag and
// the Python SDK's file_etag; the empty case is the Go/Java value).
func TestETagVectors(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name string
		r    io.Reader
		want string
	}{
		{"(i) abc", strings.NewReader("abc"), "AQAAAKmZPjZHBoFquj4lcXhQwmyc0Nid"},
		{"(ii) 4 MiB of zeros", zeroReader(4 * mib), "AQAAACvMvS848VwT631aif2dhfWV4jvD"},
		{"(iii) 4 MiB + 1 zeros", zeroReader(4*mib + 1), "AgAAABCFgki5yzon0rjN9uJusf6qtsF6"},
		{"8 MiB of zeros", zeroReader(8 * mib), "AgAAAMCVE24-Immdd6zm-ffVVhsWYcDG"},
		{"empty (Go/Java form)", strings.NewReader(""), "AAAAANo5o-5ea0sNMlW_75VgGJCv2AcJ"},
	}
	for _, tc := range tests {
		got, err := ETag(tc.r)
		if err != nil || got != tc.want {
			t.Errorf("%s: ETag = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	// (i) is SHA1("abc") = a9993e36...d89d after the count.
	raw, _ := base64.URLEncoding.DecodeString("AQAAAKmZPjZHBoFquj4lcXhQwmyc0Nid")
	if !bytes.HasPrefix(raw[4:], []byte{0xa9, 0x99, 0x3e, 0x36}) || !bytes.HasSuffix(raw, []byte{0xd8, 0x9d}) {
		t.Errorf("vector (i) does not hold SHA1(abc): %x", raw)
	}
}

func TestPartETagVectors(t *testing.T) {
	// (iii)'s part hashes; the first is also the docs' ListParts example.
	if got := PartETag(make([]byte, 4<<20)); got != "K8y9LzjxXBPrfVqJ_Z2F9ZXiO8M=" {
		t.Errorf("PartETag(4 MiB zeros) = %q", got)
	}
	if got := PartETag([]byte{0}); got != "W6k8nbDP-T9StSHXQg5D9u2ieE8=" {
		t.Errorf("PartETag(1 zero byte) = %q", got)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestETagReadError(t *testing.T) {
	if _, err := ETag(io.MultiReader(strings.NewReader("abc"), failing{})); err == nil {
		t.Error("read error not returned")
	}
}
