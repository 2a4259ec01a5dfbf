package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// importCaveat ends the hint of any error after which an ImportCustomImage
// may have been carried out: submitting again would make a second image.
const importCaveat = " The import request may have reached the server: check the console or `uimport history` before submitting again."

func withImportCaveat(hint, action string, mayHaveLanded bool) string {
	if mayHaveLanded && action == ActionImportCustomImage {
		return hint + importCaveat
	}
	if mayHaveLanded && action == ActionCopyCustomImage { // copy.go
		return hint + copyCaveat
	}
	return hint
}

// Hinter is implemented by every error this package returns: Hint says, in
// one or two plain sentences, what the user can do next.
type Hinter interface {
	error
	Hint() string
}

// APIError is an answer with RetCode ≠ 0: the API understood the request and
// refused it.
type APIError struct {
	Action  string
	RetCode int
	Message string
}

func (e *APIError) Error() string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = ExplainAction(e.Action, e.RetCode).Meaning
	}
	return fmt.Sprintf("%s refused (RetCode %d): %s", e.Action, e.RetCode, msg)
}

// Explanation is the plain-language meaning of the RetCode.
func (e *APIError) Explanation() string { return ExplainAction(e.Action, e.RetCode).Meaning }

// Hint is the suggested fix for the RetCode. A gateway timeout (110) says
// nothing about whether the backend already acted on the request.
func (e *APIError) Hint() string {
	return withImportCaveat(ExplainAction(e.Action, e.RetCode).Fix, e.Action, e.RetCode == 110)
}

// HTTPError is an answer whose HTTP status is not 2xx. The real API answers
// 200 even for refusals, so this usually means a proxy or gateway in the way.
type HTTPError struct {
	Action     string
	StatusCode int
	Status     string
	Snippet    string // the start of the body, for the curious
	Location   string // where a 3xx answer points
}

func (e *HTTPError) Error() string {
	status := e.Status // "502 Bad Gateway" from net/http; rebuilt if not that shape
	if !strings.HasPrefix(status, strconv.Itoa(e.StatusCode)) {
		status = strings.TrimSpace(strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode))
	}
	return fmt.Sprintf("%s: the server answered HTTP %s", e.Action, status)
}

// Hint: a 5xx from a gateway may come after the backend acted on the request.
func (e *HTTPError) Hint() string {
	return withImportCaveat(e.hint(), e.Action, e.StatusCode >= 500)
}

func (e *HTTPError) hint() string {
	switch {
	case e.StatusCode >= 300 && e.StatusCode < 400 && e.Location != "":
		return "The server redirects to " + e.Location + ": use " + baseOf(e.Location) + " as --base-url."
	case e.StatusCode == 429:
		return "Too many requests: wait a minute and try again."
	case e.StatusCode >= 500:
		return "The API or a gateway in front of it failed. Try again in a few minutes; if it persists, check the cloud's status page."
	case e.StatusCode == 404 || e.StatusCode == 405:
		return "This does not look like the API endpoint: check --base-url (e.g. https://api.scloudsg.com)."
	case e.StatusCode == 407:
		return "A proxy wants authentication: check HTTPS_PROXY."
	default:
		return "Check --base-url and any proxy between you and the API."
	}
}

// ResponseKind says how an answer failed to be a valid API response.
type ResponseKind string

const (
	ResponseHTML      ResponseKind = "an HTML page"
	ResponseTruncated ResponseKind = "truncated JSON"
	ResponseNotJSON   ResponseKind = "not JSON"
	ResponseMalformed ResponseKind = "JSON of an unexpected shape"
)

// ResponseError is an HTTP 2xx answer that is not a usable API response: a
// captive portal's login page, a cut-off body, or something else entirely.
type ResponseError struct {
	Action  string
	Kind    ResponseKind
	Snippet string
	Err     error
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s: the answer was %s, not an API response", e.Action, e.Kind)
}

func (e *ResponseError) Unwrap() error { return e.Err }

// Hint: whatever answered, the request may have got through to the API, so an
// import is never presumed not to have happened.
func (e *ResponseError) Hint() string {
	return withImportCaveat(e.hint(), e.Action, true)
}

func (e *ResponseError) hint() string {
	switch e.Kind {
	case ResponseHTML:
		return "Something between you and the API answered instead (a captive portal, proxy or wrong --base-url). Open the URL in a browser or check HTTPS_PROXY."
	case ResponseTruncated:
		return "The connection was cut while the answer arrived. Try again; if it persists, check the network or proxy."
	default:
		return "Check --base-url points at the API (e.g. https://api.scloudsg.com) and no proxy rewrites answers."
	}
}

// TransportKind classifies a failure to get any answer at all.
type TransportKind string

const (
	TransportTimeout  TransportKind = "timed out"
	TransportTLS      TransportKind = "TLS failed"
	TransportDNS      TransportKind = "host not found"
	TransportRefused  TransportKind = "connection refused"
	TransportCanceled TransportKind = "canceled"
	TransportOther    TransportKind = "network error"
)

// TransportError means no complete answer arrived.
type TransportError struct {
	Action string
	Kind   TransportKind
	// MayHaveBeenSent is false only when the request certainly never left
	// (no such host, connection refused). For a non-idempotent action this
	// decides whether the user must check before trying again.
	MayHaveBeenSent bool
	Err             error
}

func (e *TransportError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s: %s", e.Action, e.Kind)
	}
	return fmt.Sprintf("%s: %s: %v", e.Action, e.Kind, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

func (e *TransportError) Hint() string {
	var h string
	switch e.Kind {
	case TransportTimeout:
		h = "The API did not answer in time. Check the network, or raise --timeout."
	case TransportTLS:
		h = "The server's certificate was not accepted. Check the system clock, --base-url, and whether a proxy intercepts HTTPS."
	case TransportDNS:
		h = "The API host name did not resolve. Check --base-url and DNS."
	case TransportRefused:
		h = "Nothing listens at that address. Check --base-url and any proxy settings."
	case TransportCanceled:
		h = "Stopped before an answer arrived."
	default:
		h = "Check the network connection and try again."
	}
	return withImportCaveat(h, e.Action, e.MayHaveBeenSent)
}

// baseOf reduces a redirect target to the scheme and host --base-url wants.
func baseOf(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		return location
	}
	return u.Scheme + "://" + u.Host
}

// IsRetryable reports whether a read-only action may be tried again after err.
func IsRetryable(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return te.Kind != TransportTLS && te.Kind != TransportCanceled
	}
	var he *HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case 429, 502, 503, 504:
			return true
		}
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetCode == 150 || ae.RetCode == 153
	}
	var re *ResponseError
	if errors.As(err, &re) {
		return re.Kind == ResponseTruncated
	}
	return false
}
