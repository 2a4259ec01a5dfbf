package ufile

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/uimport/uimport/internal/safetext"
)

// ErrorKind says what a failed object request means for the caller: stop,
// retry, or start the multipart upload over.
type ErrorKind string

const (
	// KindAuth: 401/403, e.g. RetCode -148658 "invalid signature". Wrong
	// keys, wrong host, or no permission: retrying cannot help.
	KindAuth ErrorKind = "refused: signature or permission"
	// KindNoBucket: 404 with RetCode -30010.
	KindNoBucket ErrorKind = "no such bucket"
	// KindNotFound: 404 for a key (HEAD has no body to say more).
	KindNotFound ErrorKind = "no such object"
	// KindUploadGone: any other 4xx on a request that names an UploadId.
	// docs/UFILE.md: the upload was aborted, finished or expired (its RetCode
	// is unconfirmed), so the upload must start over.
	KindUploadGone ErrorKind = "multipart upload gone"
	// KindTransient: network failures, 5xx, 408 and 429. Worth retrying.
	KindTransient ErrorKind = "temporary failure"
	// KindTLS: the server's certificate was refused; retrying cannot help.
	KindTLS ErrorKind = "TLS failed"
	// KindRefused: any other non-2xx answer (other 4xx, redirects).
	KindRefused ErrorKind = "refused"
	// KindBadAnswer: a 2xx answer that is not what UFile sends.
	KindBadAnswer ErrorKind = "unexpected answer"
	// KindCanceled: the caller's context ended first.
	KindCanceled ErrorKind = "canceled"
)

// UFile RetCodes that docs/UFILE.md confirms.
const (
	RetInvalidSignature = -148658
	RetNoBucket         = -30010
)

// Error is a failed object request. Op names the call ("UploadPart 12"),
// and Error() never contains a URL query (which could hold a pre-signed
// signature) or any key material.
type Error struct {
	Op        string
	Bucket    string
	Key       string
	Kind      ErrorKind
	Status    int    // HTTP status; 0 when no answer arrived
	RetCode   int    // from the JSON body; 0 when there was none
	Message   string // ErrMsg from the JSON body, or a short description
	SessionID string // X-SessionId: quote it to UFile support
	Location  string // where a 3xx answer points
	Err       error  // the network error, for KindTransient/KindTLS/KindCanceled
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("UFile " + e.Op)
	if e.Key != "" {
		b.WriteString(" of " + printable(e.Bucket+"/"+e.Key))
	} else if e.Bucket != "" {
		b.WriteString(" in bucket " + printable(e.Bucket))
	}
	b.WriteString(": ")
	switch {
	case e.Status != 0:
		b.WriteString("HTTP " + strconv.Itoa(e.Status))
		if e.RetCode != 0 || e.Message != "" {
			b.WriteString(" (")
			if e.RetCode != 0 {
				b.WriteString("RetCode " + strconv.Itoa(e.RetCode) + " ")
			}
			b.WriteString(printable(e.Message) + ")")
		}
	case e.Err != nil:
		b.WriteString(string(e.Kind) + ": " + e.Err.Error())
	default:
		b.WriteString(string(e.Kind))
		if e.Message != "" {
			b.WriteString(": " + printable(e.Message))
		}
	}
	if e.SessionID != "" {
		b.WriteString(" [X-SessionId " + printable(e.SessionID) + "]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the same request may simply be sent again.
func (e *Error) Retryable() bool { return e.Kind == KindTransient }

// Hint says what to do next, in the style of apiclient's errors.
func (e *Error) Hint() string {
	switch e.Kind {
	case KindAuth:
		return "UFile refused the request's signature or permission. Check that the keys (or bucket token) may write to bucket " +
			printable(e.Bucket) + ", and that the bucket's region or --ufile-endpoint is right: a wrong host also gives \"invalid signature\"."
	case KindNoBucket:
		return "There is no bucket " + printable(e.Bucket) + " where the request went: check --bucket, and --region or --ufile-endpoint."
	case KindNotFound:
		return "No object has that key: check the key's spelling and case."
	case KindUploadGone:
		return "UFile no longer knows this multipart upload (aborted, finished or expired). Start it again with --restart."
	case KindTLS:
		return "The server's certificate was not accepted. Check the system clock, the endpoint, and whether a proxy intercepts HTTPS."
	case KindCanceled:
		return "Stopped before an answer arrived."
	case KindBadAnswer:
		return "Something other than UFile answered (a proxy or a wrong --ufile-endpoint?). Check the endpoint and any HTTPS_PROXY."
	case KindRefused:
		if e.Location != "" {
			return "UFile redirects to " + printable(e.Location) + ": pass that host with --ufile-endpoint."
		}
		return "UFile refused the request. If it persists, quote the X-SessionId to UFile support."
	}
	switch {
	case e.Status == http.StatusTooManyRequests:
		return "UFile is throttling requests: lower --parallel or wait a few minutes."
	case e.Status >= 500:
		return "UFile or a gateway in front of it failed. Try again in a few minutes."
	}
	return "The network failed. Check the connection and try again."
}

// KindOf returns the kind of the first *Error in err's chain, or "".
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// IsRetryable reports whether err is a transient UFile failure.
func IsRetryable(err error) bool { return KindOf(err) == KindTransient }

// errorBody is UFile's failure JSON. Both fields are decoded leniently:
// bodies may be HTML, empty, or mislabelled (docs/UFILE.md).
type errorBody struct {
	RetCode flexInt
	ErrMsg  string
	Message string // not UFile's name, but cheap to accept
}

// statusError classifies a non-2xx answer. hasUploadID marks requests that
// name an UploadId, where a 4xx means the upload is gone.
func statusError(op, bucket, key string, resp *http.Response, body []byte, hasUploadID bool) *Error {
	e := &Error{Op: op, Bucket: bucket, Key: key, Status: resp.StatusCode, SessionID: resp.Header.Get("X-SessionId")}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.RetCode, e.Message = int(eb.RetCode), eb.ErrMsg
		if e.Message == "" {
			e.Message = eb.Message
		}
	}
	if e.Message == "" && e.RetCode == 0 {
		e.Message = http.StatusText(resp.StatusCode)
	}
	s := resp.StatusCode
	switch {
	case s >= 500, s == http.StatusTooManyRequests, s == http.StatusRequestTimeout:
		e.Kind = KindTransient
	case s == http.StatusUnauthorized, s == http.StatusForbidden, e.RetCode == RetInvalidSignature:
		e.Kind = KindAuth
	case e.RetCode == RetNoBucket:
		e.Kind = KindNoBucket
	case s >= 400 && s < 500 && hasUploadID:
		e.Kind = KindUploadGone
	case s == http.StatusNotFound:
		e.Kind = KindNotFound
	default:
		e.Kind = KindRefused
		if s >= 300 && s < 400 {
			e.Location = resp.Header.Get("Location")
		}
	}
	return e
}

// transportError classifies a request that got no answer.
func transportError(ctx context.Context, op, bucket, key string, err error) *Error {
	e := &Error{Op: op, Bucket: bucket, Key: key, Kind: KindTransient, Err: unwrapURL(err)}
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case ctx.Err() != nil:
		e.Kind, e.Err = KindCanceled, context.Cause(ctx)
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		e.Kind = KindTLS
	}
	return e
}

// unwrapURL drops net/http's *url.Error wrapper, whose text repeats the
// request URL: no secret is in our URLs, but they are long and noisy.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// printable keeps server-chosen (or user-typed) text on one short line
// with nothing a terminal would act on: controls, bidi overrides and
// invalid UTF-8 become visible escapes.
func printable(s string) string {
	if len(s) > 200 {
		cut := 200
		for cut > 196 && !utf8.RuneStart(s[cut]) {
			cut-- // keep a character whole; a broken one would show as escapes
		}
		s = s[:cut] + "…"
	}
	return safetext.Escape(s)
}

// flexInt decodes a JSON number or a numeric string (some gateways send
// "RetCode":"-148658"); anything else decodes as 0 without failing.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
	} else if x, err := strconv.ParseFloat(s, 64); err == nil {
		*f = flexInt(x)
	}
	return nil
}
