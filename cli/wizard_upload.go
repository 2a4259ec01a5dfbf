package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ui"
	"github.com/uimport/uimport/upload"
)

// The wizard's "a file on this machine": the same target, upload and file
// check as `import --file`, through the ui.Options hooks, printing nothing
// (the wizard owns the screen and shows what happens).

// demoSampleSize is the demo's sample: several parts, a few seconds at most.
const demoSampleSize = 16 << 20

// addUploadHooks lets the wizard upload a local file. allowHTTP is the
// draft's: the demo's objects are on http://127.0.0.1.
func (sess *session) addUploadHooks(o *ui.Options, allowHTTP bool) {
	o.Upload = func(ctx context.Context, req ui.UploadRequest, progress ui.UploadProgress) (string, string, error) {
		return sess.wizardUpload(ctx, req, allowHTTP, progress)
	}
	o.Buckets = func(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error) {
		bs, err := sess.app.newClient(sess.settings, keys).ListBuckets(ctx, projectID, 0)
		names := make([]string, 0, len(bs))
		for _, b := range bs {
			names = append(names, b.BucketName)
		}
		return names, err
	}
	o.SniffFile = sniffForWizard
	if sess.demo != nil {
		o.DemoFile = demoSample
	}
}

// wizardUpload resolves where the bucket is, checks the object's URL is
// one an import can take before a byte is sent, uploads, and returns the
// URL to import: signed now, so its 24 hours start after the upload.
func (sess *session) wizardUpload(ctx context.Context, req ui.UploadRequest, allowHTTP bool, progress ui.UploadProgress) (string, string, error) {
	f := fileFlags{Path: req.Path, Bucket: req.Bucket, Key: req.Key, Parallel: upload.DefaultParallel}
	t, err := sess.targetFor(ctx, io.Discard, req.Keys, f, req.Region, req.ProjectID, true)
	if err != nil {
		return "", "", err
	}
	if err := importspec.ValidateURL(t.client.ObjectURL(f.key()), allowHTTP); err != nil {
		return "", "", fmt.Errorf("the object would be at %s, which the import cannot take: %w", t.client.ObjectURL(f.key()), err)
	}
	_, err = sess.sendFile(ctx, t, f, func(p upload.Progress) {
		// Bytes in flight count, so the bar moves within a part.
		progress(min(p.Done+p.InFlight, p.Total), p.Total, p.PartsDone, p.PartsTotal, p.Rate)
	}, barEvery)
	if err != nil {
		return "", "", err
	}
	note := ""
	if t.private {
		why := "the bucket is private"
		if !t.known {
			why = "the bucket's type is unknown"
		}
		note = fmt.Sprintf("pre-signed for %s (%s)", strings.TrimSuffix(presignFor.String(), "0m0s"), why)
	}
	return t.importURL(f.key(), sess.app.Now()), note, nil
}

// sniffForWizard is checkLocalFile's verdict, as the wizard takes it.
func sniffForWizard(path, declared string) (string, error, []string) {
	res, err := upload.SniffFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %v", path, unwrapPathError(err)), nil
	}
	summary := res.Summary()
	if fi, err := os.Stat(path); err == nil {
		summary += ", " + imageformat.HumanSize(fi.Size())
	}
	var warnings []string
	for i, msg := range res.Warnings {
		warnings = append(warnings, withFixText(msg, res.WarningFixes[i]))
	}
	if res.Format == imageformat.RAW || strings.EqualFold(declared, imageformat.RAW) {
		if hint, ok := upload.ZeroRatioHint(path); ok {
			warnings = append(warnings, hint)
		}
	}
	switch {
	case !res.Accepted:
		return summary, errors.New(withFixText(res.Reason, res.Fix)), warnings
	case res.Contradicts(declared):
		actual, ok := importspec.CanonicalFormat(res.Format)
		if !ok {
			actual = res.Format
		}
		return summary, &ui.FormatMismatch{File: actual, Declared: declared}, warnings
	}
	return summary, nil, warnings
}

// demoSample is the demo's generated image, kept between runs at the same
// size (as `upload --sample` does).
func demoSample() (string, error) {
	p := filepath.Join(os.TempDir(), "uimport-sample-"+strconv.Itoa(demoSampleSize)+".qcow2")
	if fi, err := os.Stat(p); err == nil && fi.Size() == demoSampleSize {
		return p, nil
	}
	return p, demoapi.WriteSampleImage(p, demoSampleSize)
}

// uploadStoppedError is a wizard that ended during an upload.
func uploadStoppedError(demo bool) error {
	if demo {
		return fmt.Errorf("%w: the upload stopped; the demo simulator keeps nothing, so it starts over next time", errInterrupted)
	}
	return &hintedError{
		err:  fmt.Errorf("%w: the upload stopped before it finished; nothing was imported", errInterrupted),
		hint: "Run uimport again and choose the same file, bucket and key: the upload resumes from the parts already stored.",
	}
}
