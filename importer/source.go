package importer

import (
	"net/url"
	"path/filepath"
	"strings"
)

// Source is where an image is: a file on this machine, or an object URL
// (public, pre-signed, or on a UFile host the keys can sign for). The
// checks take one; so will inspection (`uimport inspect IMAGE`), conversion
// and the wizard's "where is the image?" answer.
type Source struct {
	Path string // a local file; "" for a URL
	URL  string // an http(s) URL; "" for a file
}

// ParseSource reads a command-line argument: http:// or https:// makes a
// URL, anything else is a path.
func ParseSource(arg string) Source {
	if u, err := url.Parse(arg); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return Source{URL: arg}
	}
	return Source{Path: arg}
}

// Local reports whether the image is a file on this machine.
func (s Source) Local() bool { return s.URL == "" }

// Name is what to call the image in messages: the file's or the object's
// base name.
func (s Source) Name() string {
	if s.Local() {
		return filepath.Base(s.Path)
	}
	u, err := url.Parse(s.URL)
	if err != nil || u.Path == "" || strings.HasSuffix(u.Path, "/") {
		return s.URL
	}
	return u.Path[strings.LastIndex(u.Path, "/")+1:]
}

// String is the path or the URL without its query (a pre-signed URL's
// signature stays out of messages and logs).
func (s Source) String() string {
	if s.Local() {
		return s.Path
	}
	if i := strings.IndexByte(s.URL, '?'); i >= 0 {
		return s.URL[:i]
	}
	return s.URL
}
