package upload

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"maps"
	"os"

	"github.com/uimport/uimport/ufile"
)

// runUpload sends what the plan says, then finishes and verifies. It
// returns errStartOver (wrapping UFile's error) when the upload id is gone.
func (u *uploader) runUpload(ctx context.Context, st *state, server []ufile.Part) error {
	g := newGeometry(u.size, st.h.BlkSize)
	pl := makePlan(g, st, server)
	if pl.dropped > 0 {
		u.note(fmt.Sprintf("%d saved part(s) were not confirmed by UFile and were sent again.", pl.dropped))
	}
	// The state is rewritten compacted with only the confirmed parts.
	// Block hashes start empty: the final ETag is built from the file as
	// this run reads it.
	st = &state{h: st.h, parts: maps.Clone(pl.done), blocks: map[int][sha1.Size]byte{}}
	var sf *stateFile
	if u.statePath != "" {
		var err error
		if sf, err = u.o.create(u.statePath, st); err != nil {
			hint := "check the state directory's space and permissions"
			if st.h.UploadID == u.initiated {
				// Nothing could resume this upload: do not leave it open
				// on UFile, where its parts would wait until they expire.
				if u.abortQuietly(ctx, st.h.UploadID) {
					hint += "; the multipart upload just started was aborted, so nothing is left on UFile"
				}
			}
			return &Error{Msg: "cannot save the upload state", HintText: hint, Err: err}
		}
		defer sf.close()
	}
	src, err := u.openBytes()
	if err != nil {
		return err
	}
	defer src.close()
	m := newMeter(u.size, g.parts, &u.o)
	r := u.newRun(st, sf, pl, m)
	r.src = src
	if r.workers < u.o.Parallel && r.workers < len(pl.jobs) {
		u.note(fmt.Sprintf("UFile's part size is %d bytes, so only %d part(s) are sent at once, to bound memory.", g.blk, r.workers))
	}
	m.emit(PhaseUploading)
	m.run(u.o.ProgressEvery)
	err = r.send(ctx)
	m.stop()
	u.res.BlkSize, u.res.Parts = g.blk, g.parts
	changed := int(r.changed.Load())
	u.res.SkippedParts, u.res.SkippedBytes = len(pl.done)-changed+int(r.adopted.Load()), m.skipped.Load()
	if changed > 0 {
		u.note(fmt.Sprintf("%d part(s) already in UFile differ from the file as it is now and were sent again.", changed))
	}
	if err != nil {
		if ufile.KindOf(err) == ufile.KindUploadGone {
			sf.remove()
			return fmt.Errorf("%w: %w", errStartOver, err)
		}
		return u.stopped(err, int(m.partsDone.Load()), g.parts)
	}
	m.emit(PhaseFinishing)
	if err := r.finish(ctx, sf); err != nil {
		return err
	}
	m.emit(PhaseDone)
	return nil
}

// finish assembles the object and checks it against the file.
func (r *run) finish(ctx context.Context, sf *stateFile) error {
	u, g := r.u, r.g
	if fi, err := os.Stat(u.abs); err != nil || fi.Size() != u.fileSize || !fi.ModTime().Equal(u.mtime) {
		return &Error{Msg: "the file changed while it was being uploaded",
			HintText: "run the command again once nothing writes to the file: the upload then starts over"}
	}
	etags := make([]string, g.parts)
	sums := make([][sha1.Size]byte, g.parts)
	for p := range etags {
		rec := r.st.parts[p]
		sum, err := hex.DecodeString(rec.SHA1)
		if rec.ETag == "" || err != nil || len(sum) != sha1.Size {
			return fmt.Errorf("internal error: part %d is not recorded", p)
		}
		etags[p], sums[p] = rec.ETag, [sha1.Size]byte(sum)
	}
	blocks := make([][sha1.Size]byte, g.blocks)
	for k := range blocks {
		h, ok := r.st.blocks[k]
		if !ok {
			return fmt.Errorf("internal error: block %d was not hashed", k)
		}
		blocks[k] = h
	}
	chk := etagCheck{local: ufile.ETagFromHashes(blocks), size: u.size, blocks: g.blocks, parts: g.parts,
		strict: g.blk == etagBlock, partsOdd: r.odd.Load()}
	if g.blk != etagBlock {
		// docs/UFILE.md: with another BlkSize the server's ETag is unconfirmed;
		// the same formula over part hashes is the other candidate.
		chk.alt = ufile.ETagFromHashes(sums)
	}
	var fin ufile.Finished
	err := u.retry(ctx, "FinishMultipartUpload", max(5*u.o.RequestTimeout, u.o.StallTimeout), func(c context.Context) (e error) {
		fin, e = u.c.FinishMultipartUpload(c, u.o.Key, r.id, etags)
		return e
	})
	if ufile.KindOf(err) == ufile.KindUploadGone {
		// A retried Finish after a lost answer finds the upload finished:
		// if the object is this file, that is success.
		if info, herr := u.c.Head(ctx, u.o.Key); herr == nil && info.Size == u.size && chk.compare(info.ETag) == etagMatch {
			fin, err = ufile.Finished{ETag: info.ETag, Size: info.Size}, nil
		} else {
			sf.remove()
			return fmt.Errorf("%w: %w", errStartOver, err)
		}
	}
	if err != nil {
		return u.stopped(err, g.parts, g.parts)
	}
	sf.remove() // the upload id is used up: nothing left to resume
	r.m.emit(PhaseVerifying)
	return u.verify(ctx, fin.ETag, fin.Size, chk)
}
