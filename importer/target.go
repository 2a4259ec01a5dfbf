package importer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ufile"
)

// FileSpec is a local file and where in UFile it goes: `upload`,
// `import --file` and the wizard's "a file on this machine".
type FileSpec struct {
	Path     string
	Bucket   string
	Key      string // "" means the file's name
	Endpoint string // --ufile-endpoint; "" means UCLOUD_UFILE_ENDPOINT, then DescribeBucket
	Parallel int
	Restart  bool
	// AsIs (--as-is) sends the image without changing its format; a
	// packed file (.xz, .ova, ...) is still unpacked.
	AsIs bool
	// Format is the format declared for the import, if any: a RAW
	// declared RAW goes as it is (see PlanUpload).
	Format string
}

// ObjectKey is the object key: Key, else the file's base name.
func (f FileSpec) ObjectKey() string {
	if f.Key != "" {
		return f.Key
	}
	return filepath.Base(f.Path)
}

// Check validates what needs no network, before anything is read.
func (f FileSpec) Check() error {
	switch {
	case f.Bucket == "":
		return inputErrorf("Pass the bucket with --bucket.", "no UFile bucket given")
	case strings.HasPrefix(f.Key, "/"):
		return inputErrorf("Drop the leading slash: UFile refuses such keys.", fmt.Sprintf("--key %q starts with /", f.Key))
	case f.Parallel < 1 || f.Parallel > 64:
		return inputErrorf("Use a value from 1 to 64 (default 4).", fmt.Sprintf("--parallel %d is out of range", f.Parallel))
	}
	return nil
}

// Target is where an object goes and how it can be read.
type Target struct {
	Client *ufile.Client
	// Private: reading needs a signature. When DescribeBucket could not
	// say (Known false), it is true: a pre-signed URL works for a public
	// bucket too, a bare one fails for a private bucket.
	Private, Known bool
	// Region is the bucket's UHost region, when known.
	Region string
}

// describeBucketTimeout bounds the DescribeBucket lookup, retries
// included: it only saves the user typing --region.
const describeBucketTimeout = 20 * time.Second

// PresignFor is how long the import's pre-signed URL stays valid, as
// Packer's UCloud import does it: imports of large images take hours.
const PresignFor = 24 * time.Hour

// PresignText is PresignFor for a person: "24h".
func PresignText() string { return strings.TrimSuffix(PresignFor.String(), "0m0s") }

// Target finds the bucket's object host: f.Endpoint (or
// UCLOUD_UFILE_ENDPOINT) first, then DescribeBucket where the keys allow
// it, then the region's public host. The demo backend sends objects to the
// simulator. needType asks DescribeBucket even when the endpoint is given,
// for the bucket's type (an import needs it; a plain upload does not).
func (s *Session) Target(ctx context.Context, keys apiclient.Keys, f FileSpec, region, projectID string, needType bool) (Target, error) {
	// Before any request: a bucket such as "evil.example.com/x" would
	// otherwise become the host that signed requests go to.
	if err := importspec.ValidateUpload(f.Bucket, f.ObjectKey(), region); err != nil {
		return Target{}, inputErrorf("Fix the value named above and run again (nothing was sent).", err.Error())
	}
	var err error
	c := &ufile.Client{Keys: keys, Bucket: f.Bucket, HTTPClient: ufile.DefaultHTTPClient(), UserAgent: s.UserAgent()}
	t := Target{Client: c, Private: true}
	ev := s.cfg.Events

	if raw := First(f.Endpoint, s.cfg.Getenv("UCLOUD_UFILE_ENDPOINT")); raw != "" {
		if c.Endpoint, err = ufile.ParseEndpoint(raw); err != nil {
			return t, inputErrorf("Give the endpoint as a URL, like https://mybucket.cn-bj.ufileos.com (objects are then at that URL/<key>).", err.Error())
		}
	}
	var b apiclient.Bucket
	berr := errors.New("not asked: --ufile-endpoint given")
	if c.Endpoint == nil || needType {
		b, berr = s.describeBucket(ctx, keys, f.Bucket, projectID)
	}
	if ctx.Err() != nil {
		return t, ErrInterrupted
	}
	if berr == nil {
		t.Private, t.Known, t.Region = b.Private(), true, b.Region
	}
	switch {
	case c.Endpoint != nil:
	case berr == nil && b.Endpoint() != "":
		if c.Endpoint, err = ufile.ParseEndpoint(b.Endpoint()); err != nil {
			return t, fmt.Errorf("DescribeBucket named an unusable endpoint for %s: %v", f.Bucket, err)
		}
	case berr == nil && b.FileHost() != "":
		c.FileHost = b.FileHost()
	case s.Demo():
		c.Endpoint, _ = url.Parse(s.demoEndpoint(f.Bucket))
	case region != "":
		if berr != nil {
			ev.note("DescribeBucket could not tell where bucket %s is (%s); using region %s's host.", f.Bucket, firstLine(berr.Error()), region)
		}
		c.FileHost = importspec.UFileLabel(region) + ".ufileos.com"
	default:
		why := "DescribeBucket named no host"
		if berr != nil {
			why = "DescribeBucket failed: " + firstLine(berr.Error())
		}
		return t, inputErrorf("Pass --region (the bucket's region, e.g. cn-bj2), or --ufile-endpoint.",
			fmt.Sprintf("cannot tell where bucket %s is: %s", f.Bucket, why))
	}
	kind := "type unknown"
	if t.Known {
		kind = map[bool]string{true: "private", false: "public"}[t.Private]
	}
	ev.note("UFile: bucket %s (%s), objects at %s", f.Bucket, kind, strings.TrimSuffix(c.ObjectURL(""), "/"))
	return t, nil
}

// describeBucket asks the API where the bucket is. Bucket tokens and keys
// without UFile permission are refused: that is expected, not an error.
func (s *Session) describeBucket(ctx context.Context, keys apiclient.Keys, bucket, projectID string) (apiclient.Bucket, error) {
	ctx, cancel := context.WithTimeout(ctx, describeBucketTimeout)
	defer cancel()
	return s.Client(keys).DescribeBucket(ctx, bucket, projectID)
}

// Buckets lists the buckets the keys see in the project, for a pick list.
func (s *Session) Buckets(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error) {
	bs, err := s.Client(keys).ListBuckets(ctx, projectID, 0)
	names := make([]string, 0, len(bs))
	for _, b := range bs {
		names = append(names, b.BucketName)
	}
	return names, err
}

// ImportURL is the UFileUrl an import of key reads: the bare object URL
// for a public bucket, else a pre-signed GET valid for PresignFor.
func (t Target) ImportURL(key string, now time.Time) string {
	if !t.Private {
		return t.Client.ObjectURL(key)
	}
	return t.Client.PresignedGET(key, now.Add(PresignFor))
}

// PresignReason says why the import's URL is pre-signed, or "" when it is
// not.
func (t Target) PresignReason() string {
	switch {
	case !t.Private:
		return ""
	case !t.Known:
		return "the bucket's type is unknown (a signed URL works for a public one too)"
	}
	return "the bucket is private"
}
