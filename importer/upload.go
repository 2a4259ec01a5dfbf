package importer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ufile"
	"github.com/uimport/uimport/upload"
)

// Progress is how an upload reports: the engine's snapshot, at most once
// per Every (0: the engine's default). The ETA in it is the engine's.
type Progress struct {
	Func  func(upload.Progress)
	Every time.Duration
}

// Upload puts the file into the target, resuming an interrupted upload of
// the same file, bucket and key where the backend keeps state. Errors come
// back typed: an interruption (ctx) wrapped in ErrInterrupted with how to
// go on; integrity, auth and the network as the engine reports them.
func (s *Session) Upload(ctx context.Context, t Target, f FileSpec, p Progress) (upload.Result, error) {
	plan, err := s.planDeclared(ctx, f, f.Format)
	var ni *convert.NotImageError
	switch {
	case errors.As(err, &ni):
		plan = nil // no disk image: sent as it is, as the file check said it would be
	case err != nil:
		return upload.Result{}, planError(f.Path, err)
	}
	return s.UploadPlanned(ctx, t, f, plan, p)
}

// uploadError says how to go on after an interrupted upload; integrity,
// auth and the rest keep their own messages and hints.
func (s *Session) uploadError(ctx context.Context, err error) error {
	if errors.Is(err, upload.ErrIntegrity) {
		return err // checked first: never hidden behind an interruption
	}
	if ctx.Err() == nil && ufile.KindOf(err) != ufile.KindCanceled {
		return err
	}
	var re *upload.ResumableError
	if errors.As(err, &re) {
		return s.stoppedUpload(true, re.PartsDone, re.PartsTotal, false)
	}
	return s.stoppedUpload(false, 0, 0, false)
}

// UploadStopped is the error for a wizard that ended during an upload.
func (s *Session) UploadStopped() error { return s.stoppedUpload(false, 0, 0, true) }

// AbortUpload is `upload --abort`: UFile deletes the parts, uimport its
// state. It reports how many interrupted uploads it aborted.
func (s *Session) AbortUpload(ctx context.Context, t Target, f FileSpec) (int, error) {
	if s.be.uploadState == "" {
		s.cfg.Events.note("Nothing to abort: demo uploads keep no state.")
		return 0, nil
	}
	n, err := upload.Abort(ctx, upload.Options{File: f.Path, Bucket: f.Bucket, Key: f.ObjectKey(), Client: t.Client, StateDir: s.be.uploadState})
	if err != nil {
		return 0, s.uploadError(ctx, err)
	}
	if n == 0 {
		s.cfg.Events.note("No interrupted upload of %s to %s/%s to abort.", filepath.Base(f.Path), f.Bucket, f.ObjectKey())
	}
	return n, nil
}

// UploadRequest is the wizard's "a file on this machine": what to upload
// where, with the draft's region and project (where a bucket is when the
// API cannot say) and the keys in use.
type UploadRequest struct {
	Path, Bucket, Key string
	Region, ProjectID string
	Keys              apiclient.Keys
	AllowHTTP         bool
	// Format is the format declared: a RAW declared RAW goes as it is.
	Format string
}

// UploadForImport resolves where the bucket is, checks that the object's
// URL is one an import can take before a byte is sent, uploads, and
// returns the URL to import, signed now so its hours start after the
// upload, and a note such as "pre-signed for 24h (the bucket is private)".
func (s *Session) UploadForImport(ctx context.Context, req UploadRequest, p Progress) (importURL, note string, err error) {
	f := FileSpec{Path: req.Path, Bucket: req.Bucket, Key: req.Key, Parallel: upload.DefaultParallel, Format: req.Format}
	t, err := s.Target(ctx, req.Keys, f, req.Region, req.ProjectID, true)
	if err != nil {
		return "", "", &NotStartedError{Err: err}
	}
	if err := importspec.ValidateURL(t.Client.ObjectURL(f.ObjectKey()), req.AllowHTTP); err != nil {
		return "", "", &NotStartedError{Err: fmt.Errorf("the object would be at %s, which the import cannot take: %w", t.Client.ObjectURL(f.ObjectKey()), err)}
	}
	if _, err := s.Upload(ctx, t, f, p); err != nil {
		return "", "", err
	}
	if why := t.PresignReason(); why != "" {
		note = fmt.Sprintf("pre-signed for %s (%s)", PresignText(), shortReason(why))
	}
	return t.ImportURL(f.ObjectKey(), s.cfg.Now()), note, nil
}

// shortReason drops the parenthesis of a reason, for a one-line note.
func shortReason(why string) string {
	if i := len(why) - 1; i > 0 && why[i] == ')' {
		for j := range why {
			if why[j] == '(' && j > 0 {
				return why[:j-1]
			}
		}
	}
	return why
}

// UploadReport is what to say after a finished upload: notes (started
// over, resumed), then a summary with size, time, rate and whether UFile's
// ETag matched the file.
func UploadReport(path string, res upload.Result) (notes []string, summary string) {
	notes = append([]string(nil), res.Notes...)
	// A resume that kept nothing (UFile confirmed no saved part, and a
	// note already says they were sent again) has nothing to add.
	if res.Resumed && res.SkippedParts > 0 {
		notes = append(notes, fmt.Sprintf("Resumed the interrupted upload: %d of %d parts (%s) were already in UFile and were not sent again.",
			res.SkippedParts, res.Parts, imageformat.HumanSize(res.SkippedBytes)))
	}
	check := "verified: UFile's ETag matches the file"
	if !res.Verified {
		check = "NOT verified (see above)"
	}
	return notes, fmt.Sprintf("Uploaded %s to %s/%s: %s in %s (%s/s), %s.", filepath.Base(path), res.Bucket, res.Key,
		imageformat.HumanSize(res.Size), res.Elapsed.Round(100*time.Millisecond), imageformat.HumanSize(rate(res)), check)
}

// rate is the average over this run's bytes (resumed parts were free).
func rate(res upload.Result) int64 {
	secs := res.Elapsed.Seconds()
	if secs <= 0 {
		return 0
	}
	return int64(float64(res.Size-res.SkippedBytes) / secs)
}
