package ufile

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
)

// ETagFromHashes builds a UFile ETag from the SHA1s of consecutive 4 MiB
// blocks, so an uploader can hash blocks as it reads them (in any order)
// and never read the file twice:
//
//	base64url(uint32le(n) || H), H = hashes[0] if n == 1, else SHA1(hashes...)
//
// With no hashes it is the empty object's Go/Java form. It equals ETag of
// the same data.
func ETagFromHashes(hashes [][sha1.Size]byte) string {
	var h [sha1.Size]byte
	switch len(hashes) {
	case 0:
		h = sha1.Sum(nil)
	case 1:
		h = hashes[0]
	default:
		d := sha1.New()
		for _, b := range hashes {
			d.Write(b[:])
		}
		copy(h[:], d.Sum(nil))
	}
	out := binary.LittleEndian.AppendUint32(make([]byte, 0, 4+sha1.Size), uint32(len(hashes)))
	return base64.URLEncoding.EncodeToString(append(out, h[:]...))
}

// EmptyETags are the forms seen for zero-length data: Go/Java, Python.
// What the server says is unconfirmed, so either is accepted.
var EmptyETags = []string{"AAAAANo5o-5ea0sNMlW_75VgGJCv2AcJ", "AAAAAA=="}

// PartCheck is the outcome of comparing a part's ETag with its SHA1.
type PartCheck int

const (
	// PartMatch: the ETag is SHA1(part) in a known form.
	PartMatch PartCheck = iota
	// PartMismatch: the ETag has a known form but another hash: the bytes
	// stored are not the bytes sent.
	PartMismatch
	// PartUnrecognised: the ETag is in no form docs/UFILE.md knows, so it says
	// nothing either way.
	PartUnrecognised
)

// CheckPartETag compares a part's ETag with the SHA1 of the bytes sent,
// robustly, as docs/UFILE.md advises (the part ETag's form is inferred, not
// confirmed): base64url-decode it (padded or not); 20 bytes must be
// SHA1(part); 24 bytes must be uint32le(1) || SHA1(part).
func CheckPartETag(etag string, sum [sha1.Size]byte) PartCheck {
	raw, ok := decodeETag(StripETag(etag))
	switch {
	case !ok:
		return PartUnrecognised
	case len(raw) == sha1.Size:
	case len(raw) == 4+sha1.Size && binary.LittleEndian.Uint32(raw) == 1:
		raw = raw[4:]
	default:
		return PartUnrecognised
	}
	if bytes.Equal(raw, sum[:]) {
		return PartMatch
	}
	return PartMismatch
}

// ETagCount returns the block count n at the front of an object ETag in
// UFile's form, if the ETag has that form.
func ETagCount(etag string) (int, bool) {
	raw, ok := decodeETag(StripETag(etag))
	if !ok || len(raw) != 4+sha1.Size {
		return 0, false
	}
	return int(binary.LittleEndian.Uint32(raw)), true
}

// decodeETag accepts base64url with or without padding, and standard
// base64 too (some tools rewrite the alphabet).
func decodeETag(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if raw, err := enc.DecodeString(s); err == nil {
			return raw, true
		}
	}
	return nil, false
}
