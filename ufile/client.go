package ufile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// DefaultContentType is sent on every call that carries one. docs/UFILE.md:
// which call fixes the stored type is unconfirmed, so all of them (Initiate,
// UploadPart, Finish, PutFile) send the same.
const DefaultContentType = "application/octet-stream"

// maxAnswer bounds what is read of an answer body: a ListParts page of
// 1000 parts is about 100 KB.
const maxAnswer = 4 << 20

// Client speaks the object protocol to one bucket. Objects are at
// Scheme://Bucket.FileHost/<key>, or at Endpoint/<key> when Endpoint is set
// (--ufile-endpoint: custom domains, other brands, the demo). Either way
// requests are signed for the real bucket, over /Bucket/<key>, as the Go
// SDK does. No request carries a Date or X-UCloud-* header (docs/UFILE.md).
// A Client is safe for concurrent use.
type Client struct {
	Keys     apiclient.Keys
	Bucket   string
	FileHost string   // e.g. "cn-bj.ufileos.com": no bucket in it
	Scheme   string   // "https" when empty; internal hosts need "http"
	Endpoint *url.URL // replaces scheme and host; its path, if any, prefixes keys

	HTTPClient  *http.Client // DefaultHTTPClient() when nil
	UserAgent   string
	ContentType string // DefaultContentType when empty
}

// DefaultHTTPClient suits uploads: no redirects followed (a PUT redirected
// would lose its body and signature; the error names the new host
// instead), HTTP/1.1 only so parallel parts get their own connections
// rather than one HTTP/2 flow-control window, idle connections kept for
// every worker, and a write buffer big enough for few syscalls per part.
func DefaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Protocols = new(http.Protocols)
	t.Protocols.SetHTTP1(true)
	t.MaxIdleConnsPerHost = 32
	t.WriteBufferSize = 128 << 10
	t.ResponseHeaderTimeout = 0 // a stalled part is the caller's to detect
	return &http.Client{
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var defaultClient = DefaultHTTPClient()

// ParseEndpoint checks an --ufile-endpoint value: an http(s) URL with a
// host, and no query, fragment or user information.
func ParseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return nil, fmt.Errorf("the UFile endpoint is not a URL: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("the UFile endpoint needs http:// or https:// in front, like https://mybucket.cn-bj.ufileos.com")
	case u.Host == "":
		return nil, errors.New("the UFile endpoint has no host")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return nil, errors.New("the UFile endpoint must be scheme, host and optional path only")
	}
	return u, nil
}

// base is where keys are appended, without a trailing slash.
func (c *Client) base() string {
	if c.Endpoint != nil {
		return c.Endpoint.Scheme + "://" + c.Endpoint.Host + strings.TrimRight(c.Endpoint.EscapedPath(), "/")
	}
	scheme := c.Scheme
	if scheme == "" {
		scheme = "https"
	}
	return scheme + "://" + c.Bucket + "." + c.FileHost
}

// ObjectURL is the object's URL with no query: what uimport prints, and
// what a public bucket's import downloads.
func (c *Client) ObjectURL(key string) string { return c.base() + "/" + EscapeKey(key) }

// PresignedGET is ObjectURL with a pre-signed GET query valid until
// expires, for importing from a private bucket.
func (c *Client) PresignedGET(key string, expires time.Time) string {
	return c.ObjectURL(key) + "?" + PresignQuery(c.Keys, http.MethodGet, c.Bucket, key, expires).Encode()
}

func (c *Client) contentType() string {
	if c.ContentType != "" {
		return c.ContentType
	}
	return DefaultContentType
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultClient
}

// call is one object request. signKey is the key in the signed resource
// ("" for bucket-level calls); body may be nil.
type call struct {
	op          string
	method      string
	url         string
	signKey     string
	key         string // for messages
	body        io.Reader
	size        int64
	contentType string
	uploadID    bool // the request names an UploadId
}

// answer is a 2xx answer: its header and (bounded) body.
type answer struct {
	header http.Header
	body   []byte
	length int64 // Content-Length as net/http parsed it (-1 unknown)
}

// do sends one request, once: retrying is the caller's decision, because
// only the caller knows whether its body can be replayed.
func (c *Client) do(ctx context.Context, k call) (answer, error) {
	if err := c.checkTarget(k.op, k.key); err != nil {
		return answer{}, err
	}
	body := k.body
	if body == nil || k.size == 0 {
		// net/http reads ContentLength 0 with a body as "unknown" and would
		// send it chunked; UFile wants Content-Length (0) instead.
		body, k.body = http.NoBody, nil
	}
	req, err := http.NewRequestWithContext(ctx, k.method, k.url, body)
	if err != nil {
		return answer{}, &Error{Op: k.op, Bucket: c.Bucket, Key: k.key, Kind: KindRefused, Message: err.Error()}
	}
	req.ContentLength = k.size
	if k.body == nil {
		req.ContentLength = 0
	}
	if k.contentType != "" {
		req.Header.Set("Content-Type", k.contentType)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	SignRequest(req, c.Keys, c.Bucket, k.signKey) // last: it covers the headers set above
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return answer{}, transportError(ctx, k.op, c.Bucket, k.key, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer)) // let the connection be reused
	if resp.StatusCode/100 != 2 {
		return answer{}, statusError(k.op, c.Bucket, k.key, resp, b, k.uploadID)
	}
	if err != nil {
		return answer{}, transportError(ctx, k.op, c.Bucket, k.key, err)
	}
	return answer{header: resp.Header, body: b, length: resp.ContentLength}, nil
}

// badAnswer reports a 2xx answer that cannot be used.
func (c *Client) badAnswer(op, key, what string, a answer) *Error {
	snippet := string(bytes.TrimSpace(a.body))
	if len(snippet) > 80 {
		snippet = snippet[:80]
	}
	return &Error{Op: op, Bucket: c.Bucket, Key: key, Kind: KindBadAnswer, Message: what + ": " + strconv.Quote(snippet),
		SessionID: a.header.Get("X-SessionId")}
}

// StripETag removes the quotes (and a weak W/ prefix) from an ETag header.
func StripETag(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "W/")
	return strings.Trim(v, `"`)
}
