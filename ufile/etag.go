package ufile

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
)

// ETagBlockSize is the block size of the UFile ETag algorithm.
const ETagBlockSize = 4 << 20

// ETag computes the UFile ETag of everything r yields, without holding more
// than one block in memory:
//
//	n = number of 4 MiB blocks
//	H = SHA1(data)                              if the data fits one block
//	H = SHA1(SHA1(block0) || SHA1(block1) ...)  otherwise
//	ETag = base64url-with-padding(uint32le(n) || H)
//
// Empty data gives n = 0 and SHA1 of nothing, as the Go and Java SDKs do
// (Python gives "AAAAAA=="; what the server says is unconfirmed). Compare
// it with a server's ETag header after stripping the quotes.
func ETag(r io.Reader) (string, error) {
	buf := make([]byte, ETagBlockSize)
	var blocks [][sha1.Size]byte
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			blocks = append(blocks, sha1.Sum(buf[:n]))
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return ETagFromHashes(blocks), nil
}

// PartETag is base64url-with-padding(SHA1(part)): the form ListParts shows
// for a part (the docs' example is this value for 4 MiB of zeros). That a
// part's ETag always has this form is inferred, not confirmed (docs/UFILE.md).
func PartETag(part []byte) string {
	h := sha1.Sum(part)
	return base64.URLEncoding.EncodeToString(h[:])
}
