package upload

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
	"sync/atomic"

	"github.com/uimport/uimport/ufile"
)

// run is one pass over one upload id: workers read parts into their own
// buffer (never the whole file), hash them, and send the ones not done.
type run struct {
	u  *uploader
	g  geometry
	id string
	pl plan
	m  *meter

	mu      sync.Mutex // guards st.parts, st.blocks, unsaved, sf
	st      *state
	sf      *stateFile // nil without StateDir
	unsaved map[int][sha1.Size]byte

	// The straddle hasher is touched only inside a sequencer turn.
	seq     *sequencer
	strK    int
	strOff  int64
	strHash hash.Hash
	odd     atomic.Bool  // a part ETag was in an unrecognised form
	adopted atomic.Int64 // parts found stored already, by hash
	changed atomic.Int64 // done parts whose bytes differ from the file now
	workers int
	src     *bytesReader // what parts are read from in this run
}

// maxMismatches: a part whose ETag disagrees with its SHA1 is sent again
// this many times (the bytes may have been altered on the way) before the
// run ends with an IntegrityError.
const maxMismatches = 2

func (u *uploader) newRun(st *state, sf *stateFile, pl plan, m *meter) *run {
	g := newGeometry(u.size, st.h.BlkSize)
	r := &run{u: u, g: g, id: st.h.UploadID, pl: pl, m: m, st: st, sf: sf, unsaved: map[int][sha1.Size]byte{},
		strK: -1, strHash: sha1.New()}
	r.workers = min(u.o.Parallel, max(len(pl.jobs), 1), int(max(maxBuffers/g.blk, 1)))
	r.seq = newSequencer()
	return r
}

// send reads and sends every job, parallel workers deep. The first fatal
// error stops the others; finished parts stay recorded.
func (r *run) send(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	stopSeq := context.AfterFunc(ctx, r.seq.abort)
	defer stopSeq()
	jobs := make(chan produced)
	// Free buffers for a stream: each worker gives its part's back.
	free := make(chan []byte, r.workers)
	if r.src.stream != nil {
		for range r.workers {
			free <- nil // allocated on first use
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if r.src.stream != nil {
			if err := r.produce(ctx.Done(), jobs, free); err != nil {
				cancel(err)
			}
			return
		}
		defer close(jobs)
		for j := range r.pl.jobs {
			select {
			case jobs <- produced{j: j}:
			case <-ctx.Done():
				return
			}
		}
	})
	for range r.workers {
		wg.Go(func() {
			if err := r.worker(ctx, jobs, free); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	if parent.Err() != nil {
		return context.Cause(parent)
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// worker owns one buffer of BlkSize (or the file size, if smaller): peak
// memory is workers × BlkSize, whatever the file size. With a stream the
// buffers come filled from produce and go back to free.
func (r *run) worker(ctx context.Context, jobs <-chan produced, free chan<- []byte) error {
	var buf []byte
	for job := range jobs {
		if ctx.Err() != nil {
			return nil
		}
		j, data := job.j, job.data
		p := r.pl.jobs[j]
		off, n := r.g.part(p)
		if data == nil {
			if buf == nil {
				buf = r.u.o.alloc(int(min(r.g.blk, r.g.size)))
			}
			data = buf[:n]
			if k, err := r.src.at.ReadAt(data, off); int64(k) < n {
				if err == nil || errors.Is(err, io.EOF) {
					err = errors.New("the file is shorter than when the upload started")
				}
				if r.u.o.Source != nil {
					return sourceError(err)
				}
				return &Error{Msg: "reading part " + fmt.Sprint(p) + " of the file failed", HintText: "check the file and the disk", Err: err}
			}
		}
		if err := r.handle(ctx, j, p, data); err != nil {
			return err
		}
		if job.data != nil {
			free <- job.data[:cap(job.data)]
		}
	}
	return nil
}

// handle hashes and sends (or skips) part p, whose bytes are data.
func (r *run) handle(ctx context.Context, j, p int, data []byte) error {
	if r.g.straddles() {
		if !r.seq.wait(j) {
			return nil
		}
		err := r.hashStraddles(p, data)
		r.seq.next()
		if err != nil {
			return err
		}
	}
	return r.process(ctx, p, data)
}

// hashStraddles feeds the pieces of blocks that span several parts, in
// file order (the sequencer guarantees it), to the one running hasher.
func (r *run) hashStraddles(p int, data []byte) error {
	po, pn := r.g.part(p)
	first, last := r.g.blocksOf(p)
	for k := first; k <= last; k++ {
		if !r.pl.needHash[k] || r.g.inner(k, p) {
			continue
		}
		bo, bn := r.g.block(k)
		lo, hi := max(bo, po), min(bo+bn, po+pn)
		if lo == bo {
			r.strK, r.strOff = k, bo
			r.strHash.Reset()
		}
		if r.strK != k || r.strOff != lo {
			return errors.New("internal error: block hashing out of order")
		}
		r.strHash.Write(data[lo-po : hi-po])
		r.strOff = hi
		if hi == bo+bn {
			r.addBlocks(map[int][sha1.Size]byte{k: [sha1.Size]byte(r.strHash.Sum(nil))})
		}
	}
	return nil
}

// process hashes the blocks inside part p and, unless p is done, adopts it
// (the server has exactly these bytes) or sends it.
func (r *run) process(ctx context.Context, p int, data []byte) error {
	po, pn := r.g.part(p)
	first, last := r.g.blocksOf(p)
	inner := map[int][sha1.Size]byte{}
	var sum [sha1.Size]byte
	whole := false // the part is exactly one block: its SHA1 is the block's
	for k := first; k <= last; k++ {
		bo, bn := r.g.block(k)
		if !r.g.inner(k, p) || (!r.pl.needHash[k] && !(bo == po && bn == pn)) {
			continue
		}
		s := sha1.Sum(data[bo-po : bo-po+bn])
		if r.pl.needHash[k] {
			inner[k] = s
		}
		if bo == po && bn == pn {
			sum, whole = s, true
		}
	}
	r.addBlocks(inner)
	if !whole {
		sum = sha1.Sum(data)
	}
	if rec, done := r.pl.done[p]; done {
		if stillStored(r.pl.server[p], rec, sum) {
			r.m.skipped.Add(pn)
			r.m.partDone(pn)
			return nil
		}
		// The file changed under a part already in UFile (its size and
		// mtime can be put back): send the bytes as they are now.
		r.changed.Add(1)
	}
	if sp, ok := r.pl.listed[p]; ok && sp.Size == pn && ufile.CheckPartETag(sp.ETag, sum) == ufile.PartMatch {
		r.m.skipped.Add(pn)
		r.adopted.Add(1)
		return r.record(partRec{N: p, Size: pn, ETag: sp.ETag, SHA1: hex.EncodeToString(sum[:])})
	}
	etag, err := r.sendPart(ctx, p, data, sum)
	if err != nil {
		return err
	}
	return r.record(partRec{N: p, Size: pn, ETag: etag, SHA1: hex.EncodeToString(sum[:])})
}

// addBlocks keeps new block hashes, to be saved with the next part.
func (r *run) addBlocks(b map[int][sha1.Size]byte) {
	if len(b) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, v := range b {
		r.st.blocks[k] = v
		r.unsaved[k] = v
	}
}

// record marks a part finished and appends it to the state file before
// anything else can happen: a kill -9 right after still resumes past it.
func (r *run) record(rec partRec) error {
	r.mu.Lock()
	r.st.parts[rec.N] = rec
	var err error
	if r.sf != nil {
		err = r.sf.add(&rec, r.unsaved)
		clear(r.unsaved)
	}
	r.mu.Unlock()
	if err != nil {
		return &Error{Msg: "cannot save the upload state", HintText: "free some space where the state is kept, or fix its permissions", Err: err}
	}
	r.m.partDone(rec.Size)
	return nil
}
