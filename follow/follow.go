// Package follow polls DescribeImage until an import ends, with backoff. The
// CLI's --wait and `uimport status --wait` share it; it prints nothing itself.
package follow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/internal/backoff"
	"github.com/uimport/uimport/internal/safetext"
)

// Describer is the one API call following needs.
type Describer interface {
	DescribeImage(ctx context.Context, r apiclient.DescribeImageRequest) (apiclient.DescribeImageResult, error)
}

// The polling intervals, shared with the wizard's own wait screen.
const (
	DefaultFirstWait = 2 * time.Second
	DefaultMaxWait   = 30 * time.Second
)

// Backoff is the wait between polls: first, then half as long again each
// time, never more than max (internal/backoff, without jitter: one
// poller has nobody to keep apart from).
type Backoff struct{ b *backoff.Backoff }

// NewBackoff starts at first and stops growing at max.
func NewBackoff(first, max time.Duration) *Backoff {
	return &Backoff{b: backoff.New(backoff.Policy{Base: first, Max: max, Factor: 1.5}, nil)}
}

// Next returns the wait before the next poll and grows the one after.
func (b *Backoff) Next() time.Duration { return b.b.Next() }

// Options tune the polling. Zero values take the defaults.
type Options struct {
	Region    string
	ProjectID string
	ImageID   string
	FirstWait time.Duration // default 2 s
	MaxWait   time.Duration // default 30 s
	Limit     time.Duration // give up after this; default 3 h
	Sleep     func(ctx context.Context, d time.Duration) error
	Now       func() time.Time
}

// Update is one observation, for progress output.
type Update struct {
	State   string // "" while the image is not visible yet
	Elapsed time.Duration
	Err     error // a transient error that will be retried
}

// ErrTimedOut is returned when Limit passes before a final state.
var ErrTimedOut = errors.New("gave up waiting")

// Final reports whether a state ends the import.
func Final(state string) bool {
	return state == apiclient.StateAvailable || state == apiclient.StateUnavailable
}

// Wait polls until the image is Available or Unavailable and returns it.
// A not-yet-visible ImageId and transient failures are retried; an API
// refusal (wrong keys, no permission) ends the wait at once.
func Wait(ctx context.Context, api Describer, o Options, onUpdate func(Update)) (apiclient.Image, error) {
	o = o.withDefaults()
	start := o.Now()
	backoff := NewBackoff(o.FirstWait, o.MaxWait)
	for {
		img, err := DescribeOne(ctx, api, apiclient.DescribeImageRequest{Region: o.Region, ProjectId: o.ProjectID, ImageId: o.ImageID})
		u := Update{State: img.State, Elapsed: o.Now().Sub(start), Err: err}
		if err != nil && !Transient(err) {
			return img, err
		}
		if onUpdate != nil {
			onUpdate(u)
		}
		if err == nil && Final(img.State) {
			return img, nil
		}
		wait := backoff.Next()
		if u.Elapsed+wait > o.Limit {
			return img, fmt.Errorf("%w after %s: the image is still %s", ErrTimedOut, u.Elapsed.Round(time.Second), stateOrUnknown(img.State))
		}
		if err := o.Sleep(ctx, wait); err != nil {
			return img, err
		}
	}
}

// Transient reports whether a failed poll is worth polling again. A poll
// is read-only, so beyond what apiclient retries by itself, any HTTP 5xx
// and an answer that is not the API's (an HTML error page, a cut or
// non-JSON body) is a passing failure of something in the way. An API
// refusal, a TLS failure, a malformed answer of the right shape (such as
// one about another image) or a cancel is not.
func Transient(err error) bool {
	if apiclient.IsRetryable(err) {
		return true
	}
	var he *apiclient.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode >= 500 || he.StatusCode == 408 || he.StatusCode == 429
	}
	var re *apiclient.ResponseError
	if errors.As(err, &re) {
		return re.Kind == apiclient.ResponseHTML || re.Kind == apiclient.ResponseTruncated || re.Kind == apiclient.ResponseNotJSON
	}
	return false
}

// ValidateWaitTimeout checks a --wait-timeout value: 0 or less would mean
// "give up at once" (or, as it once did, silently 3 hours), so it is
// refused; the caller makes it a usage error.
func ValidateWaitTimeout(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("--wait-timeout must be more than 0 (like 30m or 3h); got %s", d)
	}
	return nil
}

// DescribeOne asks for the one custom image r.ImageId names and returns it,
// or a zero Image while the API does not list it yet: new images take a
// moment to appear.
//
// An empty or malformed ImageId is an *apiclient.InputError with nothing
// sent: without one, DescribeImage would list every image.
func DescribeOne(ctx context.Context, api Describer, r apiclient.DescribeImageRequest) (apiclient.Image, error) {
	if !apiclient.ValidImageID(r.ImageId) {
		return apiclient.Image{}, &apiclient.InputError{Field: "IMAGE_ID",
			Problem: fmt.Sprintf("%q is %v", safetext.Escape(r.ImageId), apiclient.ErrBadImageID)}
	}
	r.ImageType, r.Limit = "Custom", 1
	res, err := api.DescribeImage(ctx, r)
	if err != nil {
		return apiclient.Image{}, err
	}
	for _, img := range res.ImageSet {
		if img.ImageId == r.ImageId {
			return img, nil
		}
	}
	return apiclient.Image{}, nil
}

func stateOrUnknown(s string) string {
	if s == "" {
		return "not visible yet"
	}
	return s
}

func (o Options) withDefaults() Options {
	if o.FirstWait <= 0 {
		o.FirstWait = DefaultFirstWait
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.Limit <= 0 {
		o.Limit = 3 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// UnavailableChecklist lists the usual causes of an Unavailable import
// (docs/API.md), for the message that ends a failed wait.
var UnavailableChecklist = []string{
	"the disk uses GPT: the import needs an MBR partition table",
	"no virtio drivers in the image (Linux needs virtio_blk and virtio_net; ext3/ext4 root)",
	"the declared format does not match the file (check with `qemu-img info`)",
	"OsType Other gets no initialisation: the image must configure its network by DHCP itself",
	"not a system disk, or larger than the recommended ~50 GB",
	"this region does not accept imports: import elsewhere, then copy the image",
}
