// Package preflight checks, before ImportCustomImage is called, that the
// UFile object exists and is an image the import can take, by reading only
// its first 64 KiB and last 512 bytes.
//
// The import service downloads the object from inside the cloud, so what
// this machine cannot reach is only a warning; what it can see is wrong (no
// such key, an archive, a format that contradicts --format) blocks.
package preflight

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ufile"
)

// DefaultTimeout bounds a whole Check: a pre-flight must not hold up an
// import for long, and its failure to answer is only a warning.
const DefaultTimeout = 5 * time.Second

// Options says what to check.
type Options struct {
	URL      string // the UFileUrl that will be sent to ImportCustomImage
	Declared string // the format that will be sent ("" skips the comparison)

	// Keys, when set, sign the reads if an unsigned read is refused and
	// the URL is a UFile URL without a signature of its own, so objects in
	// private buckets can be examined too.
	Keys *apiclient.Keys

	HTTPClient *http.Client  // nil means a plain client
	Timeout    time.Duration // for the whole check; 0 means DefaultTimeout
	UserAgent  string        // optional
}

var defaultClient = &http.Client{}

type checker struct {
	client    *http.Client
	url       string
	userAgent string
}

// headRange asks for the first HeadSize bytes; its 206 answer's
// Content-Range also gives the size, so no HEAD is needed. (A HEAD would
// also fail on a URL pre-signed for GET: the method is signed.)
var headRange = fmt.Sprintf("bytes=0-%d", imageformat.HeadSize-1)

// Check reads the object's first and last bytes and reports what stands in
// the way of importing it. It never returns an error: failures are
// Problems.
func Check(ctx context.Context, o Options) Report {
	rep := Report{Size: -1}
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		rep.add(Warning, CodeNotChecked, "the object was not checked: the URL is not a valid http(s) URL", "fix the URL")
		return rep
	}
	if expired := checkExpiry(&rep, u.Query(), time.Now()); expired {
		return rep // every read would be refused, and so will the import
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := &checker{client: o.HTTPClient, url: o.URL, userAgent: o.UserAgent}
	if c.client == nil {
		c.client = defaultClient
	}

	a, auth, err := c.readHead(ctx, authorization(u, o.Keys))
	if err != nil {
		unreachable(&rep, parent, err, u.Hostname(), timeout)
		return rep
	}
	rep.Reachable, rep.Status, rep.Signed = true, a.status, auth != ""
	if rep.Signed && a.status/100 == 2 {
		rep.add(Blocking, CodePrivateBucket, "the bucket is private: the import service cannot download this URL, which has no signature",
			"give a pre-signed URL (with UCloudPublicKey, Signature and Expires), or make the bucket public")
	}

	var head []byte
	switch {
	case a.status == http.StatusPartialContent && !startsAtZero(a):
		rep.add(Warning, CodeNotChecked, "the object was not checked: the server answered with a different range than asked for", "")
		return rep
	case a.status == http.StatusOK || a.status == http.StatusPartialContent:
		head = a.body
		rep.Size = sizeOf(a)
	case a.status == http.StatusRequestedRangeNotSatisfiable:
		// Only an empty object cannot satisfy bytes=0-...
		rep.Size = 0
	default:
		statusProblem(&rep, a, u, o.Keys != nil, rep.Signed)
		return rep
	}

	var tail []byte
	if a.status == http.StatusPartialContent && rep.Size != 0 {
		tail, rep.Size = c.tail(ctx, auth, rep.Size, len(head))
	}
	rep.Sniff = imageformat.Sniff(head, tail, rep.Size)
	sniffProblems(&rep, o.Declared)
	return rep
}

// readHead asks for the first HeadSize bytes unsigned: that is how the
// import service will read the URL, and a public bucket needs nothing more.
// If that is refused and auth is set, it asks again, signed. It returns the
// auth the answer came to ("" for unsigned), for the tail request.
func (c *checker) readHead(ctx context.Context, auth string) (answer, string, error) {
	a, err := c.get(ctx, headRange, "", imageformat.HeadSize)
	if err != nil || !refused(a.status) || auth == "" {
		return a, "", err
	}
	signed, err := c.get(ctx, headRange, auth, imageformat.HeadSize)
	if err != nil {
		return a, "", nil // the unsigned answer stands
	}
	return signed, auth, nil
}

// startsAtZero rejects a 206 whose bytes are not the object's first: they
// would be sniffed as its header. A missing Content-Range is taken on trust.
func startsAtZero(a answer) bool {
	cr := a.header.Get("Content-Range")
	start, _, _, ok := contentRange(cr)
	return cr == "" || (ok && start == 0)
}

// sizeOf reads the object size from an answer to the head request.
func sizeOf(a answer) int64 {
	if a.status == http.StatusPartialContent {
		if _, _, total, ok := contentRange(a.header.Get("Content-Range")); ok {
			return total
		}
		return -1
	}
	// 200: the server ignored Range and started sending everything.
	if a.length >= 0 {
		return a.length
	}
	if a.eof {
		return int64(len(a.body))
	}
	return -1
}

// tail fetches the last TailSize bytes, where a fixed VHD keeps its only
// signature. It is asked for only when the head answer showed that ranges
// work, and only from beyond what head already holds. It returns nil when
// the end stays unknown (Sniff then does not hold "no VHD footer" against
// a VHD declaration), and the size, learned from the answer if unknown.
func (c *checker) tail(ctx context.Context, auth string, size int64, have int) ([]byte, int64) {
	if size >= 0 && size <= int64(have) {
		return nil, size // head is the whole object; Sniff takes its end
	}
	rng := fmt.Sprintf("bytes=-%d", imageformat.TailSize)
	if size > 0 {
		rng = fmt.Sprintf("bytes=%d-%d", max(0, size-imageformat.TailSize), size-1)
	}
	a, err := c.get(ctx, rng, auth, imageformat.TailSize)
	if err != nil || a.status != http.StatusPartialContent {
		return nil, size
	}
	start, end, total, ok := contentRange(a.header.Get("Content-Range"))
	if !ok || total < 0 || (size >= 0 && total != size) || end != total-1 || int64(len(a.body)) != end-start+1 {
		return nil, size // not the range asked for: do not guess
	}
	return a.body, total
}

// refused is an answer that a signature might turn into a success.
func refused(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// authorization is the Authorization value for reading u with keys, or ""
// when the read must not or cannot be signed: no keys, a URL that carries
// its own signature (UFile refuses both at once), or a host that is not
// UFile's (no bucket to sign for).
func authorization(u *url.URL, keys *apiclient.Keys) string {
	if keys == nil || keys.PublicKey == "" || keys.PrivateKey == "" || ufile.IsPresigned(u.Query()) {
		return ""
	}
	loc, err := importspec.ParseUFileURL(u.String())
	if err != nil || !loc.Known || loc.Bucket == "" || loc.Key == "" {
		return ""
	}
	// No Content-Type, Content-MD5 or Date is sent, so those lines are
	// empty; Range is not signed.
	return ufile.Authorization(keys.PublicKey, ufile.Sign(keys.PrivateKey, http.MethodGet, "", "", "", loc.Bucket, loc.Key))
}
