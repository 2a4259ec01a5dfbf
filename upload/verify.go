package upload

import (
	"context"
	"slices"
	"strconv"

	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/ufile"
)

// etagCheck compares a server's object ETag with the one computed from
// the file while it was read.
type etagCheck struct {
	local  string // UFile's algorithm over 4 MiB blocks
	alt    string // the same formula over part hashes ("" if BlkSize is 4 MiB)
	size   int64
	blocks int
	parts  int
	// strict: the ETag is documented for this case (BlkSize 4 MiB, or a
	// single PutFile), so any other value is a mismatch.
	strict bool
	// partsOdd: some part ETags could not be checked either.
	partsOdd bool
}

type verdict int

const (
	etagMatch verdict = iota
	etagMismatch
	etagUnknown // a form uimport cannot interpret: neither proof nor disproof
)

func (c etagCheck) compare(server string) verdict {
	s := ufile.StripETag(server)
	switch {
	case s == c.local, c.alt != "" && s == c.alt:
		return etagMatch
	case c.size == 0 && slices.Contains(ufile.EmptyETags, s):
		return etagMatch
	case c.strict:
		return etagMismatch
	}
	if n, ok := ufile.ETagCount(s); ok && (n == c.blocks || n == c.parts) {
		return etagMismatch // UFile's form, right count, other hash
	}
	return etagUnknown
}

// verify checks what Finish (or PutFile) said, then HEADs the object and
// checks its size and ETag. Any mismatch is an *IntegrityError; an answer
// that cannot be interpreted leaves Result.Verified false with a note.
func (u *uploader) verify(ctx context.Context, finETag string, finSize int64, chk etagCheck) error {
	o := &u.o
	bad := func(what, want, got string) error {
		return &IntegrityError{Bucket: o.Bucket, Key: o.Key, What: what, Want: want, Got: got, Finished: true}
	}
	size := strconv.FormatInt(u.size, 10)
	if finSize >= 0 && finSize != u.size {
		return bad("the stored size", size, strconv.FormatInt(finSize, 10))
	}
	verified, odd := false, false
	if finETag != "" {
		switch chk.compare(finETag) {
		case etagMismatch:
			return bad("the ETag", chk.local, ufile.StripETag(finETag))
		case etagMatch:
			verified = true
		case etagUnknown:
			odd = true
		}
	}
	var info ufile.ObjectInfo
	err := u.retry(ctx, "HEAD", o.RequestTimeout, func(c context.Context) (e error) {
		info, e = u.c.Head(c, o.Key)
		return e
	})
	switch {
	case err != nil:
		u.note("The object could not be read back to check it (" + safetext.Escape(err.Error()) + ").")
	case info.Size >= 0 && info.Size != u.size:
		return bad("the stored size", size, strconv.FormatInt(info.Size, 10))
	default:
		switch chk.compare(info.ETag) {
		case etagMismatch:
			return bad("the ETag", chk.local, info.ETag)
		case etagMatch:
			verified = true
		case etagUnknown:
			odd = true
		}
	}
	if !verified {
		what := "The stored object could not be verified"
		if odd {
			what = "UFile's ETag is in a form uimport does not know, so the whole object could not be checked"
		}
		if !chk.partsOdd && u.res.Multipart {
			what += "; every part's ETag matched what was sent"
		}
		u.note(what + ".")
	}
	u.res.ETag, u.res.Verified = chk.local, verified
	return nil
}
