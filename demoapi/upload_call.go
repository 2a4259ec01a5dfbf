package demoapi

import (
	"crypto/sha1"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/uimport/uimport/ufile"
)

// objCall is one object call being served: its log entry, its fault, and
// the checks every call goes through.
type objCall struct {
	s                         *Server
	w                         *statusWriter
	r                         *http.Request
	op, bucket, key, uploadID string
	part                      int
	idx                       int // in uploadStore.log
	fault                     UploadFault
	faulted                   bool
	cut                       bool
}

// begin logs the call, applies its fault, and checks bucket and
// signature. It reports whether the call should go on.
func (c *objCall) begin() bool {
	u := c.s.uploads
	badPart := false
	if c.op == OpPart {
		n, err := strconv.Atoi(c.r.URL.Query().Get("partNumber"))
		c.part, badPart = n, err != nil || n < 0
	}
	u.mu.Lock()
	c.idx = len(u.log)
	u.log = append(u.log, UploadRequest{Op: c.op, Bucket: c.bucket, Key: c.key, UploadID: c.uploadID, Part: c.part,
		Size: c.r.ContentLength, Time: time.Now()})
	if c.op == OpPart {
		u.inFlight++
		u.maxInFlight = max(u.maxInFlight, u.inFlight)
	}
	u.mu.Unlock()

	c.fault, c.faulted = u.takeFault(c.op, c.part)
	f := c.fault
	if c.faulted && f.Delay > 0 && !c.s.wait(c.r, f.Delay) {
		return false
	}
	if c.faulted && f.Status != 0 {
		c.drain()
		c.fail(f.Status, f.RetCode, f.Message)
		return false
	}
	switch {
	case c.bucket == "":
		c.fail(http.StatusBadRequest, -1, "no bucket in the path")
	case c.bucket == DemoMissingBucket:
		c.drain()
		c.fail(http.StatusNotFound, ufile.RetNoBucket, "bucket not exist")
	case c.op == OpGet && c.bucket != DemoPrivateBucket:
		return true // public read
	case !c.s.objectAuthorized(c.r, c.bucket, c.signKey()):
		c.drain()
		c.fail(http.StatusForbidden, ufile.RetInvalidSignature, "invalid signature")
	case c.op != OpList && c.key == "":
		c.fail(http.StatusBadRequest, -1, "no key in the path")
	case badPart:
		c.fail(http.StatusBadRequest, -1, "bad partNumber")
	default:
		return true
	}
	return false
}

// signKey is the key in the signed resource: ListParts signs /bucket/.
func (c *objCall) signKey() string {
	if c.op == OpList {
		return ""
	}
	return c.key
}

// done completes the log entry and the log line.
func (c *objCall) done() {
	u := c.s.uploads
	status := c.w.status
	if c.cut {
		status = 0
	} else if status == 0 {
		status = http.StatusOK
	}
	u.mu.Lock()
	u.log[c.idx].Status = status
	u.log[c.idx].Faulted = c.faulted
	u.log[c.idx].UploadID = c.uploadID
	if c.op == OpPart {
		u.inFlight--
	}
	u.mu.Unlock()
	outcome := "HTTP " + strconv.Itoa(status)
	if c.cut {
		outcome = "connection cut"
	}
	c.s.logLine(c.r.Method, c.op, outcome)
}

func (c *objCall) json(status int, v any) {
	b, _ := json.Marshal(v)
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-SessionId", "demo-session")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	c.w.WriteHeader(status)
	c.w.Write(b)
}

func (c *objCall) fail(status, retCode int, msg string) { objectError(c.w, status, retCode, msg) }

// drain reads what is left of the body before an error answer, so the
// client, still sending, reads the answer instead of a reset connection.
func (c *objCall) drain() {
	io.Copy(io.Discard, io.LimitReader(c.r.Body, 2*c.s.uploads.blkSize+1<<20))
}

// cutNow closes the connection with no answer: a TCP close over HTTP/1,
// a stream reset over HTTP/2.
func (c *objCall) cutNow() {
	c.cut = true
	if hj, ok := c.w.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// received is what receive measured: hashes of the bytes as they arrived
// and as they were stored (they differ only under a corrupting fault),
// and the ones to answer (those of what was received, under
// CorruptSilently: the rot comes after the answer).
type received struct {
	n                   int64
	storedSHA1, ansSHA1 [sha1.Size]byte
	storedETag, ansETag string
	storedBlocks        [][sha1.Size]byte // 4 MiB block hashes, when asked for
}

// receive copies the body to w (the part or object file), applying the
// call's slow-link, cut and corruption faults. whole asks for the UFile
// ETag (PutFile); blocks for the stored bytes' 4 MiB block hashes (a part
// that starts on a block boundary, so Finish need not read it again). It
// reports false when the connection was cut or the body ended early (the
// answer is then given).
func (c *objCall) receive(w io.Writer, whole, blocks bool) (received, bool) {
	f := c.fault
	var body io.Reader = c.r.Body
	if c.faulted && f.BytesPerSecond > 0 {
		body = &throttled{r: body, bps: f.BytesPerSecond, stop: c.s.done, gone: c.r.Context().Done()}
	}
	if c.faulted && f.Cut {
		io.Copy(io.Discard, io.LimitReader(body, max(c.r.ContentLength/2, 1)))
		c.cutNow()
		return received{}, false
	}
	stored := newDigest(!whole, whole || blocks)
	recv := stored
	corrupt := c.faulted && (f.Corrupt || f.CorruptSilently)
	var sink io.Writer = io.MultiWriter(w, stored)
	if corrupt {
		recv = newDigest(!whole, whole)
		sink = io.MultiWriter(recv, &flipWriter{w: sink, at: max(c.r.ContentLength/2, 0)})
	}
	n, err := io.Copy(sink, body)
	if err != nil || (c.r.ContentLength >= 0 && n != c.r.ContentLength) {
		c.fail(http.StatusBadRequest, -1, "the body ended early")
		return received{}, false
	}
	out := received{n: n, storedSHA1: stored.sha1(), storedETag: stored.etag(), storedBlocks: stored.blockHashes()}
	out.ansSHA1, out.ansETag = out.storedSHA1, out.storedETag
	if c.faulted && f.CorruptSilently {
		out.ansSHA1, out.ansETag = recv.sha1(), recv.etag()
	}
	return out, true
}

// digest hashes bytes as they stream through, so nothing is read twice:
// the SHA1 of all of them (a part's hash) and/or the SHA1 of each 4 MiB
// block (the UFile ETag's input).
type digest struct {
	part   hash.Hash // nil when not asked for
	block  hash.Hash // nil when not asked for
	inBlk  int64
	blocks [][sha1.Size]byte
}

func newDigest(part, blocks bool) *digest {
	d := &digest{}
	if part {
		d.part = sha1.New()
	}
	if blocks {
		d.block = sha1.New()
	}
	return d
}

func (d *digest) Write(p []byte) (int, error) {
	n := len(p)
	if d.part != nil {
		d.part.Write(p)
	}
	for d.block != nil && len(p) > 0 {
		k := min(int64(len(p)), ufile.ETagBlockSize-d.inBlk)
		d.block.Write(p[:k])
		d.inBlk += k
		p = p[k:]
		if d.inBlk == ufile.ETagBlockSize {
			d.blocks = append(d.blocks, [sha1.Size]byte(d.block.Sum(nil)))
			d.block.Reset()
			d.inBlk = 0
		}
	}
	return n, nil
}

func (d *digest) sha1() (s [sha1.Size]byte) {
	if d.part != nil {
		copy(s[:], d.part.Sum(nil))
	}
	return s
}

func (d *digest) blockHashes() [][sha1.Size]byte {
	if d.block == nil {
		return nil
	}
	if d.inBlk > 0 {
		return append(d.blocks, [sha1.Size]byte(d.block.Sum(nil)))
	}
	return d.blocks
}

func (d *digest) etag() string {
	if d.block == nil {
		return ""
	}
	return ufile.ETagFromHashes(d.blockHashes())
}

// flipWriter flips the byte at offset at of what it passes on, on a copy:
// the caller's buffer is still being hashed as received.
type flipWriter struct {
	w   io.Writer
	at  int64
	pos int64
}

func (f *flipWriter) Write(p []byte) (int, error) {
	if f.at >= f.pos && f.at < f.pos+int64(len(p)) {
		q := append([]byte(nil), p...)
		q[f.at-f.pos] ^= 0xff
		p = q
	}
	f.pos += int64(len(p))
	return f.w.Write(p)
}
