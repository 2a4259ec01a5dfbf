package ufile

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bucket and key rules, checked before any request so a bad value is a
// usage error (exit 2), never a request to the wrong host.
const (
	MinBucketLen = 3
	MaxBucketLen = 63
	// MaxKeyLen is in bytes of UTF-8, as object stores count it.
	MaxKeyLen = 1024
)

// CheckBucketName applies UFile's bucket naming rules: 3 to 63 lower-case
// letters, digits and hyphens, starting and ending with a letter or digit.
// Such a name is one DNS label, so <bucket>.<file host> can only ever be
// a host under the file host: "evil.example.com/x" cannot name a host.
func CheckBucketName(name string) error {
	if name == "" {
		return errors.New("the bucket name is empty")
	}
	if n := len(name); n < MinBucketLen || n > MaxBucketLen {
		return fmt.Errorf("the bucket name %q is %d characters long; UFile wants %d to %d", name, n, MinBucketLen, MaxBucketLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("the bucket name %q has %q; UFile bucket names are lower-case letters, digits and hyphens", name, string(rune(c)))
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return fmt.Errorf("the bucket name %q starts or ends with a hyphen", name)
	}
	return nil
}

// CheckKey checks an object key: valid UTF-8, no control characters, at
// most MaxKeyLen bytes, not starting with "/" (UFile then refuses the
// signature), and no "." or ".." segment (a server or proxy may resolve
// it to another key than the one signed).
func CheckKey(key string) error {
	switch {
	case key == "":
		return errors.New("the key is empty")
	case !utf8.ValidString(key):
		return errors.New("the key is not valid UTF-8")
	case len(key) > MaxKeyLen:
		return fmt.Errorf("the key is %d bytes long; UFile allows at most %d", len(key), MaxKeyLen)
	case strings.HasPrefix(key, "/"):
		return errors.New("the key starts with /; drop the leading slash")
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return fmt.Errorf("the key contains a control character (%U)", r)
		}
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("the key has a %q segment; name the object without it", seg)
		}
	}
	return nil
}

// CheckFileHost checks a file host (no bucket in it), e.g.
// "cn-bj.ufileos.com": dot-separated DNS labels and nothing else, so no
// path, port, user or second host can ride along.
func CheckFileHost(host string) error {
	if host == "" || len(host) > 253 {
		return fmt.Errorf("the UFile host %q is not a host name", host)
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("the UFile host %q is not a host name", host)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("the UFile host %q is not a host name", host)
			}
		}
	}
	return nil
}

// checkTarget is the last guard before a request: without an Endpoint,
// the bucket and file host make the host, so both must be plain names.
func (c *Client) checkTarget(op, key string) error {
	if c.Endpoint != nil {
		return nil
	}
	err := CheckBucketName(c.Bucket)
	if err == nil {
		err = CheckFileHost(c.FileHost)
	}
	if err != nil {
		return &Error{Op: op, Bucket: c.Bucket, Key: key, Kind: KindRefused, Message: err.Error() + " (nothing was sent)"}
	}
	return nil
}
