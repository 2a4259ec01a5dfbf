package apiclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/uimport/uimport/internal/safetext"
)

// DefaultBaseURL is SCloud's API host, the one docs/API.md documents.
const DefaultBaseURL = "https://api.scloudsg.com"

// DefaultTimeout matches the official SDK.
const DefaultTimeout = 30 * time.Second

// maxBody bounds what we read of an answer; real answers are a few KB.
const maxBody = 4 << 20

// defaultHTTPClient does not follow redirects: net/http re-sends a POST
// redirected with 301/302/303 as a GET without its body, which the API then
// refuses with a misleading signature error. Reporting the redirect (with its
// Location) lets the user fix --base-url instead.
var defaultHTTPClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Keys are the API key pair. The private key only ever feeds Sign.
type Keys struct {
	PublicKey  string
	PrivateKey string
}

// Client sends signed actions to one API host.
type Client struct {
	BaseURL    string
	Keys       Keys
	UserAgent  string
	Timeout    time.Duration // per attempt; 0 means DefaultTimeout
	HTTPClient *http.Client
	Retry      RetryPolicy
}

// New returns a client with the SDK's defaults.
func New(baseURL string, keys Keys, userAgent string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{
		BaseURL:   baseURL,
		Keys:      keys,
		UserAgent: userAgent,
		Retry:     DefaultRetry,
	}
}

// PreparedRequest is a signed request, ready to send or to show.
type PreparedRequest struct {
	Method string
	URL    string
	Params Params // every parameter sent, including PublicKey and Signature
}

// Body is the form-encoded request body.
func (r PreparedRequest) Body() string { return r.Params.Encode() }

// Prepare signs params for action. Dry runs and previews show exactly this,
// and Send sends exactly this, so what the user saw is what goes out.
func (c *Client) Prepare(action string, params Params) PreparedRequest {
	p := make(Params, len(params)+1)
	for k, v := range params {
		p[k] = v
	}
	p["Action"] = action
	base := strings.TrimRight(c.BaseURL, "/")
	return PreparedRequest{
		Method: http.MethodPost,
		URL:    base + "/?Action=" + url.QueryEscape(action),
		Params: p.Signed(c.Keys.PublicKey, c.Keys.PrivateKey),
	}
}

// Send makes exactly one attempt at a prepared request and decodes the answer
// into out. It never retries: callers decide what is safe to repeat.
func (c *Client) Send(ctx context.Context, req PreparedRequest, out any) error {
	action := req.Params["Action"]
	if err := ValidateBaseURL(c.BaseURL); err != nil {
		return err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, strings.NewReader(req.Body()))
	if err != nil {
		return &TransportError{Action: action, Kind: TransportOther, Err: err}
	}
	hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hreq.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		hreq.Header.Set("User-Agent", c.UserAgent)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		return describeTransport(classifyTransport(ctx, action, err), timeout)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		// Headers arrived, so the request certainly reached the server.
		te := classifyTransport(ctx, action, err)
		te.MayHaveBeenSent = true
		return te
	}
	return decode(action, resp, body, out)
}

// call prepares, sends and, for read-only actions, retries transient failures.
func (c *Client) call(ctx context.Context, action string, params Params, out any, idempotent bool) error {
	req := c.Prepare(action, params)
	if !idempotent {
		return c.Send(ctx, req, out)
	}
	return c.Retry.do(ctx, func() error { return c.Send(ctx, req, out) })
}

// envelope is what every answer has in common.
type envelope struct {
	RetCode json.RawMessage `json:"RetCode"`
	Action  string          `json:"Action"`
	Message string          `json:"Message"`
}

func decode(action string, resp *http.Response, body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		he := &HTTPError{Action: action, StatusCode: resp.StatusCode, Status: resp.Status, Snippet: snippet(trimmed)}
		if loc, err := resp.Location(); err == nil {
			he.Location = safetext.Escape(loc.String())
		}
		return he
	}
	// The body decides, not the Content-Type: some gateways label JSON
	// text/html, and a portal page may claim to be JSON.
	var env envelope
	if err := json.Unmarshal(trimmed, &env); err != nil {
		kind := ResponseMalformed // valid JSON, but not an object with our fields
		var se *json.SyntaxError
		if errors.As(err, &se) {
			kind = invalidKind(trimmed, se, resp.Header.Get("Content-Type"))
		}
		return &ResponseError{Action: action, Kind: kind, Snippet: snippet(trimmed), Err: err}
	}
	code, err := parseRetCode(env.RetCode)
	if err != nil {
		return &ResponseError{Action: action, Kind: ResponseMalformed, Snippet: snippet(trimmed), Err: err}
	}
	if code != 0 {
		// The server's text reaches terminals and logs: escaped here, once.
		return &APIError{Action: action, RetCode: code, Message: safetext.Escape(env.Message)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return &ResponseError{Action: action, Kind: ResponseMalformed, Snippet: snippet(trimmed), Err: err}
	}
	return nil
}

// parseRetCode accepts RetCode as a number or, as some gateways send it, a string.
func parseRetCode(raw json.RawMessage) (int, error) {
	if len(raw) == 0 {
		return 0, errors.New("no RetCode in the answer")
	}
	var n json.Number
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		n = json.Number(strings.TrimSpace(s))
	} else if err := json.Unmarshal(raw, &n); err != nil {
		return 0, err
	}
	code, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, fmt.Errorf("RetCode %q is not a number", n)
	}
	return code, nil
}

// invalidKind names what a body that is not JSON looks like. Only JSON that
// breaks off at its very end is "truncated" (and worth retrying); JSON broken
// in the middle was never going to parse.
func invalidKind(body []byte, se *json.SyntaxError, contentType string) ResponseKind {
	switch {
	case len(body) > 0 && body[0] == '<', strings.Contains(strings.ToLower(contentType), "text/html"):
		return ResponseHTML
	case len(body) > 0 && (body[0] == '{' || body[0] == '[') && se.Offset >= int64(len(body)):
		return ResponseTruncated
	default:
		return ResponseNotJSON
	}
}

// snippet keeps the start of a body, on one line and escaped (it is
// whatever answered), for error details.
func snippet(b []byte) string {
	const n = 160
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return safetext.Escape(s)
}

// describeTransport replaces Go's "context deadline exceeded" wording with
// what the user needs: how long we waited, or that they stopped us.
func describeTransport(te *TransportError, timeout time.Duration) *TransportError {
	switch te.Kind {
	case TransportTimeout:
		te.Err = fmt.Errorf("no answer within %s", timeout)
	case TransportCanceled:
		te.Err = errors.New("stopped before an answer arrived")
	}
	return te
}

func classifyTransport(ctx context.Context, action string, err error) *TransportError {
	te := &TransportError{Action: action, Kind: TransportOther, MayHaveBeenSent: true, Err: err}
	var (
		dnsErr   *net.DNSError
		opErr    *net.OpError
		netErr   net.Error
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		recHdErr tls.RecordHeaderError
	)
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled):
		te.Kind = TransportCanceled
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout()):
		te.Kind = TransportTimeout
	case errors.As(err, &certErr) || errors.As(err, &unknown) || errors.As(err, &hostErr) ||
		errors.As(err, &invalid) || errors.As(err, &recHdErr):
		te.Kind = TransportTLS
		te.MayHaveBeenSent = false // the handshake failed before any request byte
	case errors.As(err, &dnsErr):
		te.Kind = TransportDNS
		te.MayHaveBeenSent = false
	case errors.As(err, &opErr) && opErr.Op == "dial":
		te.Kind = TransportRefused
		te.MayHaveBeenSent = false
	}
	// Keep the message short: the *url.Error wrapper repeats method and URL.
	var ue *url.Error
	if errors.As(err, &ue) {
		te.Err = ue.Err
	}
	return te
}
