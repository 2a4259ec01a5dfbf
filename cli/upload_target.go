package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ufile"
	"github.com/uimport/uimport/upload"
)

// fileFlags say where a local file goes in UFile: shared by `upload` and
// `import --file`.
type fileFlags struct {
	Path     string // --file, or upload's argument
	Bucket   string
	Key      string
	Endpoint string // --ufile-endpoint
	Parallel int
	Restart  bool
}

func (f *fileFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Bucket, "bucket", "", "bucket in UFile to upload to")
	fs.StringVar(&f.Key, "key", "", "object key in the bucket (default: the file's name)")
	fs.StringVar(&f.Endpoint, "ufile-endpoint", "", "object endpoint URL for UFile, replacing scheme and host: custom domains, other brands (env UCLOUD_UFILE_ENDPOINT)")
	fs.IntVar(&f.Parallel, "parallel", upload.DefaultParallel, "parts uploaded at once")
	fs.BoolVar(&f.Restart, "restart", false, "abort an interrupted upload of this file and start it over instead of resuming")
}

// check validates the flags that need no network, before anything is read.
func (f *fileFlags) check() error {
	switch {
	case f.Bucket == "":
		return usageErrorf("Pass the bucket with --bucket.", "no UFile bucket given")
	case strings.HasPrefix(f.Key, "/"):
		return usageErrorf("Drop the leading slash: UFile refuses such keys.", fmt.Sprintf("--key %q starts with /", f.Key))
	case f.Parallel < 1 || f.Parallel > 64:
		return usageErrorf("Use a value from 1 to 64 (default 4).", fmt.Sprintf("--parallel %d is out of range", f.Parallel))
	}
	return nil
}

// key is the object key: --key, else the file's base name.
func (f *fileFlags) key() string {
	if f.Key != "" {
		return f.Key
	}
	return filepath.Base(f.Path)
}

// objectTarget is where the object goes and how it can be read.
type objectTarget struct {
	client *ufile.Client
	// private: reading needs a signature. When DescribeBucket could not
	// say (known false), it is true: a pre-signed URL works for a public
	// bucket too, a bare one fails for a private bucket.
	private, known bool
	region         string // the bucket's UHost region, when known
}

// describeBucketTimeout bounds the DescribeBucket lookup, retries
// included: it only saves the user typing --region.
const describeBucketTimeout = 20 * time.Second

// presignFor is how long the import's pre-signed URL stays valid, as
// Packer's UCloud import does it: imports of large images take hours.
const presignFor = 24 * time.Hour

// resolveTarget finds the bucket's object host: --ufile-endpoint (or
// UCLOUD_UFILE_ENDPOINT) first, then DescribeBucket where the keys allow
// it, then the region's public host. In --demo mode the objects always go
// to the simulator: the demo never contacts a real host. needType asks
// DescribeBucket even when the endpoint is given, for the bucket's type
// (an import needs it; a plain upload does not).
func (sess *session) resolveTarget(ctx context.Context, f fileFlags, region, projectID string, needType bool) (objectTarget, error) {
	keys, err := sess.credentials(ctx)
	if err != nil {
		return objectTarget{}, err
	}
	return sess.targetFor(ctx, sess.app.IO.Err, keys, f, region, projectID, needType)
}

// targetFor is resolveTarget with the keys given and its notes written to
// w: the wizard has its own keys, and a full screen to keep clean.
func (sess *session) targetFor(ctx context.Context, w io.Writer, keys apiclient.Keys, f fileFlags, region, projectID string, needType bool) (objectTarget, error) {
	var err error
	c := &ufile.Client{Keys: keys, Bucket: f.Bucket, HTTPClient: ufile.DefaultHTTPClient(), UserAgent: sess.app.userAgent()}
	t := objectTarget{client: c, private: true}

	if raw := first(f.Endpoint, sess.app.Getenv("UCLOUD_UFILE_ENDPOINT")); raw != "" {
		if c.Endpoint, err = ufile.ParseEndpoint(raw); err != nil {
			return t, usageErrorf("Give the endpoint as a URL, like https://mybucket.cn-bj.ufileos.com (objects are then at that URL/<key>).", err.Error())
		}
	}
	var b apiclient.Bucket
	berr := errors.New("not asked: --ufile-endpoint given")
	if c.Endpoint == nil || needType {
		b, berr = sess.describeBucket(ctx, keys, f.Bucket, projectID)
	}
	if ctxErr(ctx) {
		return t, errInterrupted
	}
	if berr == nil {
		t.private, t.known, t.region = b.Private(), true, b.Region
	}
	switch {
	case c.Endpoint != nil:
	case berr == nil && b.Endpoint() != "":
		if c.Endpoint, err = ufile.ParseEndpoint(b.Endpoint()); err != nil {
			return t, fmt.Errorf("DescribeBucket named an unusable endpoint for %s: %v", f.Bucket, err)
		}
	case berr == nil && b.FileHost() != "":
		c.FileHost = b.FileHost()
	case sess.demo != nil:
		notef(w, "The simulator does not describe bucket %s (it knows %s and %s); it takes any bucket name, so the object goes there.",
			f.Bucket, demoapi.DemoBucket, demoapi.DemoPrivateBucket)
		c.Endpoint, _ = url.Parse(demoapi.UFileEndpoint(sess.settings.BaseURL, f.Bucket))
	case region != "":
		if berr != nil {
			notef(w, "DescribeBucket could not tell where bucket %s is (%s); using region %s's host.", f.Bucket, firstLine(berr.Error()), region)
		}
		c.FileHost = importspec.UFileLabel(region) + ".ufileos.com"
	default:
		why := "DescribeBucket named no host"
		if berr != nil {
			why = "DescribeBucket failed: " + firstLine(berr.Error())
		}
		return t, usageErrorf("Pass --region (the bucket's region, e.g. cn-bj2), or --ufile-endpoint.",
			fmt.Sprintf("cannot tell where bucket %s is: %s", f.Bucket, why))
	}
	kind := "type unknown"
	if t.known {
		kind = map[bool]string{true: "private", false: "public"}[t.private]
	}
	notef(w, "UFile: bucket %s (%s), objects at %s", f.Bucket, kind, strings.TrimSuffix(c.ObjectURL(""), "/"))
	return t, nil
}

// describeBucket asks the API where the bucket is. Bucket tokens and keys
// without UFile permission are refused: that is expected, not an error.
func (sess *session) describeBucket(ctx context.Context, keys apiclient.Keys, bucket, projectID string) (apiclient.Bucket, error) {
	api := sess.app.newClient(sess.settings, keys)
	ctx, cancel := context.WithTimeout(ctx, describeBucketTimeout)
	defer cancel()
	return api.DescribeBucket(ctx, bucket, projectID)
}

// importURL is the UFileUrl an import of key reads: the bare object URL
// for a public bucket, else a pre-signed GET valid for presignFor.
func (t objectTarget) importURL(key string, now time.Time) string {
	if !t.private {
		return t.client.ObjectURL(key)
	}
	return t.client.PresignedGET(key, now.Add(presignFor))
}
