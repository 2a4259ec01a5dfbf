package upload

import (
	"context"
	"crypto/sha1"
	"errors"
	"io"
	"os"

	"github.com/uimport/uimport/ufile"
)

// small uploads a file of at most 4 MiB (one ETag block, and at most one
// part of any BlkSize UFile has been seen to use) with one PutFile: no
// multipart upload to set up, nothing to resume. The bytes are read once
// into one buffer of the file's size.
func (u *uploader) small(ctx context.Context) (Result, error) {
	if u.prefix != "" {
		if err := os.MkdirAll(u.o.StateDir, 0o700); err == nil {
			release, err := u.lock()
			if err != nil {
				return Result{}, err
			}
			defer release()
			u.cleanStale(ctx) // a multipart upload of an earlier, larger version
		}
	}
	buf := u.o.alloc(int(u.size))
	if u.o.Source != nil {
		if err := u.readSmallSource(buf); err != nil {
			return Result{}, err
		}
	} else if k, err := u.f.ReadAt(buf, 0); k < len(buf) {
		if err == nil || errors.Is(err, io.EOF) {
			err = errors.New("the file is shorter than when the upload started")
		}
		return Result{}, &Error{Msg: "reading the file failed", HintText: "check the file and the disk", Err: err}
	}
	var hashes [][sha1.Size]byte
	if u.size > 0 {
		hashes = append(hashes, sha1.Sum(buf))
	}
	chk := etagCheck{local: ufile.ETagFromHashes(hashes), size: u.size, blocks: len(hashes), strict: true}
	m := newMeter(u.size, 1, &u.o)
	m.emit(PhaseUploading)
	m.run(u.o.ProgressEvery)
	var etag string
	var err error
	for tries := 0; ; tries++ {
		// Watched like a part: a slow link that keeps moving is never cut.
		err = u.retry(ctx, "PutFile", 0, func(c context.Context) (e error) {
			ac, cancel := context.WithCancelCause(c)
			defer cancel(nil)
			body := &partBody{data: buf, m: m}
			body.last.Store(nowNano())
			stop := u.watch(body, cancel)
			etag, e = u.c.PutFile(ac, u.o.Key, body, u.size)
			stop()
			m.inFlight.Add(-int64(body.off))
			return e
		})
		// A wrong ETag may be a transit error: PUT replaces the object,
		// so sending again is safe; a persistent one fails below.
		if err != nil || etag == "" || chk.compare(etag) != etagMismatch || tries >= maxMismatches {
			break
		}
	}
	m.stop()
	if err != nil {
		return Result{}, err
	}
	m.partDone(u.size)
	m.emit(PhaseVerifying)
	if err := u.verify(ctx, etag, -1, chk); err != nil {
		return Result{}, err
	}
	m.emit(PhaseDone)
	u.res.Parts = 1
	return u.finalResult(nil)
}
