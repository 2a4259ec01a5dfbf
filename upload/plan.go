package upload

import (
	"crypto/sha1"
	"encoding/hex"

	"github.com/uimport/uimport/ufile"
)

// geometry cuts the file two ways: into parts of the server's BlkSize
// (what is sent) and into 4 MiB blocks (what the UFile ETag hashes). The
// two need not line up: a BlkSize that is not a multiple of 4 MiB makes
// some blocks straddle parts, and a BlkSize under 4 MiB puts many parts in
// one block.
type geometry struct {
	size   int64
	blk    int64
	parts  int
	blocks int
}

const etagBlock = ufile.ETagBlockSize

func newGeometry(size, blk int64) geometry {
	return geometry{size: size, blk: blk, parts: int(ceilDiv(size, blk)), blocks: int(ceilDiv(size, etagBlock))}
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// part returns part p's offset and length.
func (g geometry) part(p int) (off, n int64) {
	off = int64(p) * g.blk
	return off, min(g.blk, g.size-off)
}

// block returns block k's offset and length.
func (g geometry) block(k int) (off, n int64) {
	off = int64(k) * etagBlock
	return off, min(etagBlock, g.size-off)
}

// blocksOf returns the first and last block overlapping part p.
func (g geometry) blocksOf(p int) (first, last int) {
	off, n := g.part(p)
	return int(off / etagBlock), int((off + n - 1) / etagBlock)
}

// inner reports whether block k lies wholly inside part p.
func (g geometry) inner(k, p int) bool {
	po, pn := g.part(p)
	bo, bn := g.block(k)
	return bo >= po && bo+bn <= po+pn
}

// straddles reports whether any block spans more than one part.
func (g geometry) straddles() bool { return g.blk%etagBlock != 0 && g.parts > 1 }

// plan is what one run has to do.
type plan struct {
	// done holds the parts the saved state and the server agree on. Each
	// is still read again and checked against the server's ETag: the
	// file may have changed under it (size and mtime put back), and
	// "verified" must mean the file's bytes as they are now.
	done map[int]partRec
	// server holds the server's listing of every done part.
	server map[int]ufile.Part
	// listed holds parts the server has that the state does not vouch
	// for: each is read and adopted if its hash matches, else sent.
	listed map[int]ufile.Part
	// needHash marks the blocks whose SHA1 must be computed in this run:
	// all of them, since the final ETag is built from the file as read
	// now, never from hashes saved by an earlier run.
	needHash []bool
	// jobs are the parts to read, in order: every part.
	jobs []int
	// dropped counts parts the state had but the server did not confirm.
	dropped int
}

// makePlan reconciles the saved state with the server's part list. A
// saved part counts as done only if the server lists it with the same
// size and an ETag matching the saved SHA1 (or equal to the saved ETag).
func makePlan(g geometry, st *state, server []ufile.Part) plan {
	pl := plan{done: map[int]partRec{}, server: map[int]ufile.Part{}, listed: map[int]ufile.Part{}, needHash: make([]bool, g.blocks)}
	onServer := map[int]ufile.Part{}
	for _, sp := range server {
		if sp.Number >= 0 && sp.Number < g.parts {
			onServer[sp.Number] = sp
		}
	}
	for n, sp := range onServer {
		_, want := g.part(n)
		if sp.Size != want {
			continue // wrong size: send it again
		}
		rec, saved := st.parts[n]
		if saved && rec.Size == want && serverConfirms(sp, rec) {
			pl.done[n], pl.server[n] = rec, sp
		} else {
			pl.listed[n] = sp
		}
	}
	for n := range st.parts {
		if _, ok := pl.done[n]; !ok {
			pl.dropped++
		}
	}
	for k := range pl.needHash {
		pl.needHash[k] = true
	}
	for p := 0; p < g.parts; p++ {
		pl.jobs = append(pl.jobs, p)
	}
	return pl
}

// stillStored reports whether a done part's bytes, as read now (sum),
// are what the server holds: the server's ETag names sum, or, for an
// ETag in a form uimport cannot read, the saved record says these exact
// bytes were sent and answered with that ETag.
func stillStored(sp ufile.Part, rec partRec, sum [sha1.Size]byte) bool {
	switch ufile.CheckPartETag(sp.ETag, sum) {
	case ufile.PartMatch:
		return true
	case ufile.PartUnrecognised:
		return sp.ETag == rec.ETag && rec.SHA1 == hex.EncodeToString(sum[:])
	}
	return false
}

// serverConfirms: the listed part is the saved one. The ETag is compared
// with the saved SHA1 robustly; an ETag in an unknown form is accepted
// only if it is exactly the ETag the part upload answered.
func serverConfirms(sp ufile.Part, rec partRec) bool {
	sum, err := hex.DecodeString(rec.SHA1)
	if err != nil || len(sum) != sha1.Size {
		return false
	}
	switch ufile.CheckPartETag(sp.ETag, [sha1.Size]byte(sum)) {
	case ufile.PartMatch:
		return true
	case ufile.PartUnrecognised:
		return sp.ETag == rec.ETag
	}
	return false
}
