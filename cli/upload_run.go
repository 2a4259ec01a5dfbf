package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/ufile"
	"github.com/uimport/uimport/upload"
)

// uploadFile puts the file into the target with progress on stderr, and
// says what happened: notes (resumed, started over), then one line with
// size, time and verification. Errors come back ready for ExitCode.
func (sess *session) uploadFile(ctx context.Context, t objectTarget, f fileFlags, accessibleFlag bool) (upload.Result, error) {
	w := sess.app.IO.Err
	pv := newUploadProgress(sess.app, filepath.Base(f.Path), accessibleFlag)
	res, err := sess.sendFile(ctx, t, f, pv.update, pv.every())
	pv.clear()
	if err != nil {
		return res, err
	}
	for _, n := range res.Notes {
		notef(w, "%s", n)
	}
	if res.Resumed {
		notef(w, "Resumed the interrupted upload: %d of %d parts (%s) were already in UFile and were not sent again.",
			res.SkippedParts, res.Parts, imageformat.HumanSize(res.SkippedBytes))
	}
	check := "verified: UFile's ETag matches the file"
	if !res.Verified {
		check = "NOT verified (see above)"
	}
	okf(w, "Uploaded %s to %s/%s: %s in %s (%s/s), %s.", filepath.Base(f.Path), res.Bucket, res.Key,
		imageformat.HumanSize(res.Size), res.Elapsed.Round(100*time.Millisecond), imageformat.HumanSize(rate(res)), check)
	return res, nil
}

// sendFile runs the upload, printing nothing: the caller shows progress
// and outcome. Errors come back ready for ExitCode.
func (sess *session) sendFile(ctx context.Context, t objectTarget, f fileFlags, progress func(upload.Progress), every time.Duration) (upload.Result, error) {
	stateDir := upload.StateDir(sess.app.StateDir())
	if sess.demo != nil {
		// The simulator lives and dies with this process, so a saved
		// upload could never be resumed: keep no state for it.
		stateDir = ""
	}
	res, err := upload.Upload(ctx, upload.Options{
		File: f.Path, Bucket: f.Bucket, Key: f.key(), Client: t.client,
		Parallel: f.Parallel, StateDir: stateDir, Restart: f.Restart,
		Progress: progress, ProgressEvery: every,
	})
	if err != nil {
		return res, sess.uploadError(ctx, err)
	}
	return res, nil
}

// rate is the average over this run's bytes (resumed parts were free).
func rate(res upload.Result) int64 {
	secs := res.Elapsed.Seconds()
	if secs <= 0 {
		return 0
	}
	return int64(float64(res.Size-res.SkippedBytes) / secs)
}

// uploadError turns the engine's errors into what the user needs: an
// interrupted upload says how to go on (exit 130), one stopped by the
// network keeps its resume hint (exit 4). Integrity, auth and the rest
// keep their own messages and hints; ExitCode maps them.
func (sess *session) uploadError(ctx context.Context, err error) error {
	if errors.Is(err, upload.ErrIntegrity) {
		return err // checked first: never hidden behind an interruption
	}
	var re *upload.ResumableError
	resumable := errors.As(err, &re)
	if !ctxErr(ctx) && ufile.KindOf(err) != ufile.KindCanceled {
		return err
	}
	switch {
	case sess.demo != nil:
		return fmt.Errorf("%w: the upload stopped; the demo simulator keeps nothing, so it starts over next time", errInterrupted)
	case resumable:
		return &hintedError{
			err:  fmt.Errorf("%w: the upload stopped with %d of %d parts stored in UFile", errInterrupted, re.PartsDone, re.PartsTotal),
			hint: "Run the same command again to resume: finished parts are not sent again.",
		}
	}
	return &hintedError{
		err:  fmt.Errorf("%w: the upload stopped before it could be resumed", errInterrupted),
		hint: "Run the same command again: a file this small is sent again in one piece.",
	}
}

// hintedError adds a hint to an error that has none.
type hintedError struct {
	err  error
	hint string
}

func (e *hintedError) Error() string { return e.err.Error() }
func (e *hintedError) Unwrap() error { return e.err }
func (e *hintedError) Hint() string  { return e.hint }
