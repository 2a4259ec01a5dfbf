package upload

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/ufile"
)

// errStartOver: the upload id is gone (UFile answered 4xx for it), so a
// new upload must begin. Upload does that once per call by itself.
var errStartOver = errors.New("the multipart upload is gone")

func (u *uploader) multipart(ctx context.Context) (Result, error) {
	u.res.Multipart = true
	if u.prefix != "" {
		if err := os.MkdirAll(u.o.StateDir, 0o700); err != nil {
			return Result{}, &Error{Msg: "cannot create the state directory", HintText: "check its permissions", Err: err}
		}
		release, err := u.lock()
		if err != nil {
			return Result{}, err
		}
		defer release()
		u.cleanStale(ctx)
	}
	st, server, err := u.resume(ctx)
	if err != nil || u.res.ETag != "" { // an error, or the object turned out complete
		return u.finalResult(err)
	}
	for restarted := false; ; restarted = true {
		if st == nil {
			if st, err = u.initiate(ctx); err != nil {
				return Result{}, u.stopped(err, 0, 0)
			}
			u.initiated = st.h.UploadID
		}
		err = u.runUpload(ctx, st, server)
		if errors.Is(err, errStartOver) && !restarted {
			u.note("UFile no longer knew the upload (aborted or expired); it was started over.")
			u.carry, st, server = st.blocks, nil, nil
			continue
		}
		return u.finalResult(err)
	}
}

func (u *uploader) finalResult(err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	return u.done(), nil
}

// lock keeps other uimport processes off this bucket and key, whichever
// local file (or link to one) they upload. The lock file is removed on
// release while still held; lockFile copes with that.
func (u *uploader) lock() (release func(), err error) {
	path := lockName(u.o.StateDir, u.o.Bucket, u.o.Key)
	unlock, err := lockFile(path)
	if err != nil {
		return nil, err
	}
	return func() {
		os.Remove(path)
		unlock()
	}, nil
}

// resume loads the saved state and the server's part list. It returns no
// state when there is nothing (usable) to resume.
func (u *uploader) resume(ctx context.Context) (*state, []ufile.Part, error) {
	if u.statePath == "" {
		return nil, nil, nil
	}
	st, err := loadState(u.statePath)
	if err != nil {
		os.Remove(u.statePath)
		u.note("The saved upload state could not be read; the upload started over.")
		return nil, nil, nil
	}
	if st == nil {
		return nil, nil, nil
	}
	if u.o.Restart {
		u.abortQuietly(ctx, st.h.UploadID)
		os.Remove(u.statePath)
		u.note("The interrupted upload was aborted (--restart); the upload started over.")
		return nil, nil, nil
	}
	var parts []ufile.Part
	err = u.retry(ctx, "ListParts", u.o.RequestTimeout, func(c context.Context) (e error) {
		parts, e = u.c.ListParts(c, st.h.UploadID)
		return e
	})
	switch {
	case ufile.KindOf(err) == ufile.KindUploadGone:
		if u.alreadyStored(ctx, st) {
			os.Remove(u.statePath)
			return nil, nil, nil
		}
		os.Remove(u.statePath)
		u.carry = st.blocks
		u.note("UFile no longer knew the interrupted upload (aborted or expired); the upload started over.")
		return nil, nil, nil
	case err != nil:
		return nil, nil, u.stopped(err, len(st.parts), newGeometry(u.size, st.h.BlkSize).parts)
	}
	u.res.Resumed = true
	return st, parts, nil
}

// alreadyStored handles an upload whose Finish succeeded but whose answer
// was lost: if HEAD shows an object of the file's size whose ETag is the
// one of the file as it reads now (never hashes saved earlier), the job
// is done.
func (u *uploader) alreadyStored(ctx context.Context, st *state) bool {
	g := newGeometry(u.size, st.h.BlkSize)
	hctx, cancel := context.WithTimeout(ctx, u.o.RequestTimeout)
	defer cancel()
	info, err := u.c.Head(hctx, u.o.Key)
	if err != nil || info.Size != u.size || ufile.StripETag(info.ETag) == "" {
		return false
	}
	local, err := u.etagNow()
	if err != nil || ufile.StripETag(info.ETag) != local {
		return false
	}
	u.res.ETag, u.res.Verified, u.res.BlkSize, u.res.Parts = local, true, st.h.BlkSize, g.parts
	u.note("The interrupted upload had already finished; the stored object matches the file.")
	return true
}

func (u *uploader) initiate(ctx context.Context) (*state, error) {
	var up ufile.Upload
	err := u.retry(ctx, "InitiateMultipartUpload", u.o.RequestTimeout, func(c context.Context) (e error) {
		up, e = u.c.InitiateMultipartUpload(c, u.o.Key)
		return e
	})
	if err != nil {
		return nil, err
	}
	blocks := u.carry
	if blocks == nil {
		blocks = map[int][sha1.Size]byte{}
	}
	return &state{h: header{
		V: stateVersion, File: u.abs, Size: u.size, MTimeNano: u.mtime.UnixNano(), Bucket: u.o.Bucket, Key: u.o.Key,
		Endpoint: strings.TrimSuffix(u.c.ObjectURL(""), "/"), UploadID: up.UploadID, BlkSize: up.BlkSize,
		ContentType: ufile.DefaultContentType, Created: u.o.Now().UTC().Format(time.RFC3339), Conversion: u.conversion(),
	}, parts: map[int]partRec{}, blocks: blocks}, nil
}

// stopped wraps an error that ends the run with the state kept: the same
// command resumes. Fatal errors (signature, integrity) pass unchanged.
func (u *uploader) stopped(err error, done, total int) error {
	if u.statePath == "" {
		return err
	}
	var ue *ufile.Error
	if retryable(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ue) && ue.Kind == ufile.KindCanceled) {
		return &ResumableError{Err: err, PartsDone: done, PartsTotal: total, StatePath: u.statePath}
	}
	return err
}

// cleanStale finds states of this file and key from an earlier size or
// mtime: the file changed, so those uploads are aborted and forgotten.
func (u *uploader) cleanStale(ctx context.Context) {
	for _, p := range u.stateFiles() {
		if p == u.statePath {
			continue
		}
		if st, err := loadState(p); err == nil && st != nil {
			u.abortQuietly(ctx, st.h.UploadID)
		}
		os.Remove(p)
		u.note(fmt.Sprintf("%s changed since the interrupted upload (size or modification time); the upload started over.", safetext.Escape(filepath.Base(u.abs))))
	}
}

// stateFiles lists every state file of this file, bucket and key.
func (u *uploader) stateFiles() []string {
	dir, base := filepath.Dir(u.prefix), filepath.Base(u.prefix)+"-"
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), base) && strings.HasSuffix(e.Name(), ".json") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// abortQuietly aborts an upload, once, noting (not failing) if that does
// not work: its parts then wait on UFile until they expire. It reports
// whether the upload is gone.
func (u *uploader) abortQuietly(ctx context.Context, id string) bool {
	c, cancel := context.WithTimeout(ctx, u.o.RequestTimeout)
	defer cancel()
	err := u.c.AbortMultipartUpload(c, u.o.Key, id)
	if err != nil && ufile.KindOf(err) != ufile.KindUploadGone {
		u.note("The upload " + safetext.Escape(id) + " could not be aborted (" + safetext.Escape(err.Error()) + "); its parts may stay on UFile until they expire.")
		return false
	}
	return true
}
