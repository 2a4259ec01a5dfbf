package apiclient

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// ActionDescribeBucket is UFile's management action for buckets. It is
// served by the same API host and signature as the UHost actions, which is
// how Packer's UCloud import finds a bucket's object host (docs/UFILE.md, Hosts).
const ActionDescribeBucket = "DescribeBucket"

// Bucket types, as DescribeBucket's Type says them.
const (
	BucketPrivate = "private"
	BucketPublic  = "public"
)

// BucketDomain lists a bucket's host names. Src are the source (upload)
// domains, e.g. "mybucket.cn-bj.ufileos.com"; Cdn are download-only.
type BucketDomain struct {
	Src       []string
	Cdn       []string
	CustomSrc []string
	CustomCdn []string
}

// Bucket is one DescribeBucket record.
type Bucket struct {
	BucketName string
	BucketId   string
	Type       string // BucketPrivate or BucketPublic
	Region     string // a UHost region id, e.g. cn-bj2
	Domain     BucketDomain
	CreateTime int64
}

// Private reports whether reading an object needs a signature. Anything but
// an explicit "public" counts as private: a wrong guess that way costs a
// pre-signed URL that works anyway, the other way a failed import.
func (b Bucket) Private() bool { return !strings.EqualFold(b.Type, BucketPublic) }

// FileHost is the object host without the bucket: the text after the
// first dot of the first source domain ("cn-bj.ufileos.com"), as docs/UFILE.md
// and Packer derive it. It is "" when DescribeBucket named no usable one,
// and also for a source given as a full URL (see Endpoint).
func (b Bucket) FileHost() string {
	src := b.src()
	if src == "" || strings.Contains(src, "://") {
		return ""
	}
	_, host, ok := strings.Cut(src, ".")
	if !ok || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return ""
	}
	return host
}

// Endpoint is the first source domain when it is a full URL rather than a
// host name, e.g. "http://127.0.0.1:41234/ufile/demo-bucket": the demo
// simulator answers that way, since its objects are path-style on its own
// address. Real answers are host names, for which it is "".
func (b Bucket) Endpoint() string {
	if src := b.src(); strings.Contains(src, "://") {
		return src
	}
	return ""
}

func (b Bucket) src() string {
	if len(b.Domain.Src) == 0 {
		return ""
	}
	return strings.TrimSpace(b.Domain.Src[0])
}

// ErrBucketNotListed is DescribeBucket succeeding without the bucket asked
// for: it is in another project, or the keys may not see it.
var ErrBucketNotListed = errors.New("DescribeBucket did not list the bucket")

// DescribeBucket looks up one bucket by name (projectID may be "" for the
// default project). It is read-only, so transient failures are retried.
func (c *Client) DescribeBucket(ctx context.Context, name, projectID string) (Bucket, error) {
	buckets, err := c.describeBuckets(ctx, Params{"BucketName": name, "ProjectId": projectID})
	if err != nil {
		return Bucket{}, err
	}
	for _, b := range buckets {
		if b.BucketName == name || b.BucketName == "" && len(buckets) == 1 {
			return b, nil
		}
	}
	return Bucket{}, ErrBucketNotListed
}

// ListBuckets lists the buckets the keys can see in a project, up to
// limit (0 means 100), for a picker.
func (c *Client) ListBuckets(ctx context.Context, projectID string, limit int) ([]Bucket, error) {
	if limit <= 0 {
		limit = 100
	}
	return c.describeBuckets(ctx, Params{"ProjectId": projectID, "Limit": strconv.Itoa(limit)})
}

func (c *Client) describeBuckets(ctx context.Context, p Params) ([]Bucket, error) {
	var out struct{ DataSet []Bucket }
	err := c.call(ctx, ActionDescribeBucket, p, &out, true)
	return out.DataSet, err
}
