package importer

import (
	"context"
	"errors"
	"fmt"
	"github.com/uimport/uimport/internal/regularfile"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/rangereader"
	"github.com/uimport/uimport/ufile"
)

// Inspection: looking inside a disk image (a local file, or an object read
// with ranged GETs) for what would make the import fail or the host not
// boot. `uimport inspect`, the check before every import and the wizard
// all come here; docs/INSPECT.md describes the report.

// AutoInspectBudget bounds the inspection that runs by itself before an
// upload or import: long enough for a remote image's kernels and
// initramfs, short enough not to hold anyone up. What it could not reach
// in time is said in the report.
const AutoInspectBudget = 15 * time.Second

// baseNamesTimeout bounds the DescribeImage listing of base images: the
// names only refine a suggestion.
const baseNamesTimeout = 5 * time.Second

// openGrace is time beyond the inspection's budget for the first read.
const openGrace = 2 * time.Second

// InspectRequest is an image to inspect and what the user means to
// declare for it ("" when not chosen yet).
type InspectRequest struct {
	// Source is a local path or an http(s) URL.
	Source string
	// OsType, OsName and Format are compared with what the image holds.
	OsType, OsName, Format string
	// Region (and ProjectID) name where the base images are listed for
	// the suggested OsName; "" skips the listing.
	Region, ProjectID string
	// Keys sign reads and list base images; nil means the session's own
	// (the wizard passes keys typed into it).
	Keys *apiclient.Keys
	// Budget bounds the inspection; 0 means inspect.DefaultBudget.
	Budget time.Duration
	// Progress is told each stage as it starts ("reading the partition
	// table"); it may be nil.
	Progress func(stage string)
}

// Inspection is what an inspection found.
type Inspection struct {
	// Source is what was read: the path, or the URL without its query.
	Source string
	Report *inspect.Report
	// Remote is how the object was read; nil for a local file.
	Remote *RemoteRead
	// BaseNames is how many base-image names the region offered; 0 when
	// none could be listed (NamesNote says why).
	BaseNames int
	NamesNote string
}

// RemoteRead is how an object was read over HTTP.
type RemoteRead struct {
	Size     int64
	Requests int
	Bytes    int64
	// Signed: the reads carried the session's UFile signature, since the
	// unsigned ones were refused.
	Signed bool
}

// IsURL reports whether an image source is a URL rather than a path.
func IsURL(source string) bool {
	l := strings.ToLower(source)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// Inspect reads the image and reports what it holds. Errors are for an
// image that could not be read at all: no such file (bad input), an object
// that is not there or refused (the object's error, with what to do), or
// the network; what was found inside, damage included, is in the report.
func (s *Session) Inspect(ctx context.Context, req InspectRequest) (Inspection, error) {
	budget := req.Budget
	if budget <= 0 {
		budget = inspect.DefaultBudget
	}
	// The budget covers reaching the object too: a host that never answers
	// must not hold the command longer than the inspection would.
	ctx, cancel := context.WithTimeout(ctx, budget+openGrace)
	defer cancel()
	type baseNames struct {
		names []string
		note  string
	}
	// Keys are resolved here, not in the goroutine: the session's
	// credentials are not shared between goroutines.
	keys := req.Keys
	if keys == nil && req.Region != "" {
		if c, err := s.Credentials(ctx); err == nil {
			keys = &c.Keys
		}
	}
	listed := make(chan baseNames, 1)
	go func() {
		n, note := s.baseImageNames(ctx, keys, req.Region, req.ProjectID)
		listed <- baseNames{n, note}
	}()
	img, err := s.openImage(ctx, req.Source, req.Keys)
	bn := <-listed
	if err != nil {
		return Inspection{}, err
	}
	defer img.close()
	names, namesNote := bn.names, bn.note
	rep, err := inspect.Inspect(ctx, img.r, img.size, inspect.Options{
		DeclaredOSType: req.OsType, DeclaredOSName: req.OsName, DeclaredFormat: req.Format,
		BaseImageNames: names, Budget: req.Budget, Progress: req.Progress,
	})
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
		return Inspection{}, ErrInterrupted
	}
	if err != nil {
		return Inspection{}, &HintedError{Err: fmt.Errorf("cannot inspect %s: %w", img.name, err),
			HintText: "Check that it is a disk image (qcow2, VMDK, VHD or RAW)."}
	}
	out := Inspection{Source: img.name, Report: rep, BaseNames: len(names), NamesNote: namesNote}
	if img.remote != nil {
		st := img.remote.Stats()
		out.Remote = &RemoteRead{Size: img.size, Requests: st.Requests, Bytes: st.Bytes, Signed: img.signed}
	}
	return out, nil
}

// openedImage is an image as one io.ReaderAt.
type openedImage struct {
	r      io.ReaderAt
	size   int64
	name   string // for messages: the path, or the URL without its query
	remote *rangereader.Reader
	signed bool
	close  func()
}

func (s *Session) openImage(ctx context.Context, source string, keys *apiclient.Keys) (openedImage, error) {
	if source == "" {
		return openedImage{}, inputErrorf("Give a local file or the object's http(s) URL.", "no image given")
	}
	source = s.demoImageSource(source)
	if IsURL(source) {
		return s.openObject(ctx, source, keys)
	}
	// Stat first: opening a FIFO or a device would wait for a writer, or
	// read forever.
	f, err := regularfile.Open(source)
	if err != nil {
		hint := "Give the path of a disk image file, or an http(s) URL."
		if keys := s.DemoImageKeys(); len(keys) > 0 {
			hint += " The simulator has: " + strings.Join(keys, ", ") + "."
		}
		return openedImage{}, inputErrorf(hint, fmt.Sprintf("cannot read %s: %v", source, unwrapPathError(err)))
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	if err != nil {
		f.Close()
		return openedImage{}, inputErrorf("Give the path of a disk image file.", fmt.Sprintf("cannot read %s: %v", source, err))
	}
	return openedImage{r: f, size: fi.Size(), name: source, close: func() { f.Close() }}, nil
}

// openObject opens an object for ranged reads: unsigned first, as the
// import service reads it; signed with the session's keys when that is
// refused and the URL is a UFile object without a signature of its own (a
// pre-signed URL is used as it is: UFile refuses two signatures).
func (s *Session) openObject(ctx context.Context, raw string, keys *apiclient.Keys) (openedImage, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return openedImage{}, inputErrorf("Give the object's URL, like https://mybucket.cn-bj.ufileos.com/disk.qcow2.", fmt.Sprintf("%q is not a URL", redactURL(raw)))
	}
	name := redactURL(raw)
	if rep, skip := s.uncheckable(raw); skip {
		return openedImage{}, inputErrorf("In demo mode, inspect a local file or one of the simulator's objects.", "cannot read "+name+": "+rep.Problems[0].Message)
	}
	o := rangereader.Options{URL: raw, Client: s.cfg.HTTP, UserAgent: s.UserAgent()}
	r, err := rangereader.Open(ctx, o)
	signed := false
	if refusedRead(err) {
		if auth := s.objectAuthorization(ctx, u, keys); auth != "" {
			o.Authorize = func(req *http.Request) { req.Header.Set("Authorization", auth) }
			r, err = rangereader.Open(ctx, o)
			signed = true
		}
	}
	if err != nil {
		return openedImage{}, s.objectReadError(ctx, name, err, signed)
	}
	return openedImage{r: r, size: r.Size(), name: name, remote: r, signed: signed, close: func() {}}, nil
}

// refusedRead is an answer a signature might turn into a success.
func refusedRead(err error) bool {
	var se *rangereader.StatusError
	return errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden)
}

// objectAuthorization is the Authorization header for reading u with the
// session's keys, or "" when the read cannot be signed: a pre-signed URL,
// a host that is not UFile's (nothing to sign for), or no keys. Range is
// not signed and no Date is sent, so one header serves every read.
func (s *Session) objectAuthorization(ctx context.Context, u *url.URL, keys *apiclient.Keys) string {
	if ufile.IsPresigned(u.Query()) {
		return ""
	}
	bucket, key, ok := s.demoObjectLocation(u)
	if !ok {
		loc, err := importspec.ParseUFileURL(u.String())
		if err != nil || !loc.Known || loc.Bucket == "" || loc.Key == "" {
			return ""
		}
		bucket, key = loc.Bucket, loc.Key
	}
	if keys == nil {
		c, err := s.Credentials(ctx)
		if err != nil {
			return ""
		}
		keys = &c.Keys
	}
	return ufile.Authorization(keys.PublicKey, ufile.Sign(keys.PrivateKey, http.MethodGet, "", "", "", bucket, key))
}

// objectReadError turns a failed first read into an *ObjectReadError,
// whose class (refused, missing, network) sets the exit code.
func (s *Session) objectReadError(ctx context.Context, name string, err error, signed bool) error {
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
		return ErrInterrupted
	}
	e := &ObjectReadError{URL: name}
	var se *rangereader.StatusError
	switch {
	case errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden):
		e.Status, e.Reason, e.kind = se.Status, "refused", ufile.KindAuth
		e.HintText = "The object is private: pass a pre-signed URL, or use keys that may read the bucket (a UFile URL is signed with them when the unsigned read is refused)."
		if signed {
			e.Reason = "refused, signed with your keys too"
			e.HintText = "Check that the keys may read the bucket and that the URL's host is the bucket's region."
		}
	case errors.As(err, &se) && se.Status == http.StatusNotFound:
		e.Status, e.Reason, e.kind = se.Status, "no such object", ufile.KindNotFound
		e.HintText = "Check the key's spelling and case (keys are case-sensitive), and the bucket in the host."
	case errors.As(err, &se) && se.Status >= 500:
		e.Status, e.Reason, e.kind = se.Status, "the server failed", ufile.KindTransient
		e.HintText = "Try again in a few minutes."
	case errors.As(err, &se):
		e.Status, e.Reason, e.kind = se.Status, se.Msg, ufile.KindRefused
		e.HintText = "An image can be inspected where the server answers ranged GETs (UFile does)."
	default:
		e.Reason, e.kind = netWords(err), ufile.KindTransient
		e.HintText = "Check the URL's host and this machine's network; the cloud reads the object from inside, where it may still be reachable."
	}
	return e
}

// ObjectReadError is an object that could not be read at all. Its class
// follows UFile's kinds: refused (exit 3), no such object (1), the network
// or the server (4).
type ObjectReadError struct {
	URL      string // without its query
	Status   int    // HTTP status; 0 when no answer came
	Reason   string
	HintText string
	kind     ufile.ErrorKind
}

func (e *ObjectReadError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("cannot read %s: HTTP %d, %s", e.URL, e.Status, e.Reason)
	}
	return fmt.Sprintf("cannot read %s: %s", e.URL, e.Reason)
}

func (e *ObjectReadError) Hint() string { return e.HintText }

// Unwrap gives Classify the UFile kind.
func (e *ObjectReadError) Unwrap() error { return &ufile.Error{Kind: e.kind, Status: e.Status} }

// netWords is a network failure without the request URL (which may carry
// a signature), in a few words.
func netWords(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return err.Error()
}

// redactURL is a URL safe to show: without its query (a signature).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the URL"
	}
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	u.User = nil
	return u.String()
}

// baseImageNames lists the region's base-image OsNames, when there are
// keys and a region; it never fails the inspection, only says why not.
func (s *Session) baseImageNames(ctx context.Context, keys *apiclient.Keys, region, projectID string) ([]string, string) {
	switch {
	case region == "":
		return nil, "no region given"
	case keys == nil:
		return nil, "no API keys"
	}
	ctx, cancel := context.WithTimeout(ctx, baseNamesTimeout)
	defer cancel()
	client := s.Client(*keys)
	client.Retry = apiclient.RetryPolicy{Attempts: 1}
	names, err := client.BaseImageNames(ctx, region, projectID)
	if err != nil && len(names) == 0 {
		return nil, "DescribeImage: " + firstLine(err.Error())
	}
	return names, ""
}
