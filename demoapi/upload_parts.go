package demoapi

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/uimport/uimport/ufile"
)

// uploadOf returns the upload c names, if it exists for c's bucket and key.
func (c *objCall) uploadOf() *mpUpload {
	u := c.s.uploads
	u.mu.Lock()
	defer u.mu.Unlock()
	up := u.uploads[c.uploadID]
	if up == nil || up.bucket != c.bucket || up.key != c.key {
		return nil
	}
	return up
}

// partETag is the ETag the demo answers for a part: base64url(SHA1), or
// with LongPartETags the 32-character form with a block count of 1.
func (u *uploadStore) partETag(sum [sha1.Size]byte) string {
	if !u.longETags {
		return base64.URLEncoding.EncodeToString(sum[:])
	}
	b := binary.LittleEndian.AppendUint32(nil, 1)
	return base64.URLEncoding.EncodeToString(append(b, sum[:]...))
}

// uploadPart is PUT /<key>?uploadId=&partNumber=: the part goes to its own
// file, replacing any earlier copy of the same number (a retry).
func (c *objCall) uploadPart() {
	u := c.s.uploads
	switch {
	case c.uploadOf() == nil:
		c.drain()
		c.noUpload()
		return
	case c.r.ContentLength < 0:
		c.fail(http.StatusLengthRequired, -1, "Content-Length required")
		return
	case c.r.ContentLength > u.blkSize:
		c.drain()
		c.fail(http.StatusBadRequest, -1, "part larger than BlkSize")
		return
	}
	f, err := u.newFile("part")
	if err != nil {
		c.fail(http.StatusInternalServerError, -1, err.Error())
		return
	}
	// Parts of a BlkSize that is a multiple of 4 MiB start on a block
	// boundary: their block hashes, taken now, spare Finish a re-read.
	aligned := u.blkSize%ufile.ETagBlockSize == 0 && u.blkSize > ufile.ETagBlockSize
	got, ok := c.receive(f, false, aligned)
	f.Close()
	if !ok {
		os.Remove(f.Name())
		return
	}
	p := storedPart{path: f.Name(), size: got.n, etag: u.partETag(got.ansSHA1), at: time.Now(),
		sha1: got.storedSHA1, blocks: got.storedBlocks}
	u.mu.Lock()
	up := u.uploads[c.uploadID]
	var old storedPart
	if up != nil {
		old = up.parts[c.part]
		up.parts[c.part] = p
	}
	u.mu.Unlock()
	if up == nil { // aborted or finished meanwhile
		os.Remove(p.path)
		c.noUpload()
		return
	}
	if old.path != "" {
		os.Remove(old.path)
	}
	c.w.Header().Set("ETag", `"`+p.etag+`"`)
	c.json(http.StatusOK, map[string]any{"PartNumber": c.part})
}

// finish is POST /<key>?uploadId=: the body lists the part ETags in order.
// As docs/UFILE.md says, every part but the last must be exactly BlkSize; the
// demo also wants parts numbered 0..n-1 with the ETags it answered, and
// nothing more. The object is assembled into one file, its ETag computed
// on the way.
func (c *objCall) finish() {
	u := c.s.uploads
	body, err := io.ReadAll(io.LimitReader(c.r.Body, 16<<20))
	if err != nil {
		c.fail(http.StatusBadRequest, -1, "unreadable body")
		return
	}
	etags := strings.Split(strings.TrimSpace(string(body)), ",")
	u.mu.Lock()
	up := u.uploads[c.uploadID]
	if up == nil || up.bucket != c.bucket || up.key != c.key {
		u.mu.Unlock()
		c.noUpload()
		return
	}
	if msg := checkParts(up, etags, u.blkSize); msg != "" {
		u.mu.Unlock()
		c.fail(http.StatusBadRequest, -1, msg)
		return
	}
	delete(u.uploads, c.uploadID)
	u.mu.Unlock()

	parts := make([]storedPart, len(etags))
	for n := range parts {
		parts[n] = up.parts[n]
	}
	obj, err := c.assemble(parts)
	if err != nil {
		c.fail(http.StatusInternalServerError, -1, err.Error())
		return
	}
	u.store(c.bucket, c.key, obj)
	c.w.Header().Set("ETag", `"`+obj.etag+`"`)
	c.json(http.StatusOK, map[string]any{"Bucket": c.bucket, "Key": c.key, "FileSize": obj.size})
}

// checkParts says what is wrong with a Finish body, or "".
func checkParts(up *mpUpload, etags []string, blkSize int64) string {
	if len(etags) == 0 || etags[0] == "" {
		return "no part ETags in the body"
	}
	if len(up.parts) != len(etags) {
		return "the body lists " + itoa(len(etags)) + " parts; " + itoa(len(up.parts)) + " were uploaded"
	}
	for n, e := range etags {
		p, ok := up.parts[n]
		switch {
		case !ok:
			return "part " + itoa(n) + " was not uploaded"
		case strings.Trim(e, `" `) != p.etag:
			return "part " + itoa(n) + "'s ETag does not match"
		case n < len(etags)-1 && p.size != blkSize:
			return "part " + itoa(n) + " is not BlkSize bytes"
		}
	}
	return ""
}

// assemble makes the object of the parts. When BlkSize lets the ETag come
// from the hashes taken as the parts arrived (of the bytes stored), Finish
// reads and copies nothing: the object is its part files, read in order
// (objectReader), and becomes one file only if a test asks for its path
// (UploadedObject). Otherwise the parts are concatenated into one file and
// hashed on the way, as before.
func (c *objCall) assemble(parts []storedPart) (*storedUpload, error) {
	u := c.s.uploads
	var hashes [][sha1.Size]byte
	var size int64
	usable := true
	for _, p := range parts {
		size += p.size
		switch {
		case p.size == 0:
		case u.blkSize == ufile.ETagBlockSize:
			hashes = append(hashes, p.sha1) // a part is a block
		case p.blocks != nil:
			hashes = append(hashes, p.blocks...)
		default:
			usable = false
		}
	}
	if usable {
		return &storedUpload{parts: parts, size: size, etag: ufile.ETagFromHashes(hashes), at: time.Now()}, nil
	}
	d := newDigest(false, true)
	path, n, err := u.concat(parts, d)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		os.Remove(p.path)
	}
	return &storedUpload{path: path, size: n, etag: ufile.ETagFromHashes(d.blockHashes()), at: time.Now()}, nil
}

// concat copies part files into a new object file, through d when d is
// not nil; without it the copy is file to file, which the kernel does
// (copy_file_range).
func (u *uploadStore) concat(parts []storedPart, d *digest) (path string, n int64, err error) {
	out, err := u.newFile("object")
	if err != nil {
		return "", 0, err
	}
	var w io.Writer = out
	if d != nil {
		w = io.MultiWriter(out, d)
	}
	for _, p := range parts {
		in, err := os.Open(p.path)
		if err == nil {
			var k int64
			k, err = io.Copy(w, in)
			in.Close()
			n += k
		}
		if err != nil {
			out.Close()
			os.Remove(out.Name())
			return "", 0, err
		}
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", 0, err
	}
	return out.Name(), n, nil
}

// file returns the path of one file holding the object, concatenating
// its parts into one the first time it is asked.
func (o *storedUpload) file(u *uploadStore) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.path != "" {
		return o.path, nil
	}
	path, _, err := u.concat(o.parts, nil)
	if err != nil {
		return "", err
	}
	o.path = path
	return path, nil
}

// open reads the object: its file, or its parts in order.
func (o *storedUpload) open() (io.ReadSeekCloser, error) {
	o.mu.Lock()
	path := o.path
	o.mu.Unlock()
	if path != "" {
		return os.Open(path)
	}
	return &objectReader{parts: o.parts, size: o.size}, nil
}

// remove deletes the object's files.
func (o *storedUpload) remove() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.path != "" {
		os.Remove(o.path)
	}
	for _, p := range o.parts {
		os.Remove(p.path)
	}
}

// objectReader reads part files one after the other as one object, with
// at most one of them open.
type objectReader struct {
	parts []storedPart
	size  int64
	off   int64

	f     *os.File // parts[idx], open
	idx   int
	start int64 // offset of parts[idx] in the object
}

func (r *objectReader) Read(b []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if r.f == nil || r.off < r.start || r.off >= r.start+r.parts[r.idx].size {
		if err := r.seekPart(); err != nil {
			return 0, err
		}
	}
	end := r.start + r.parts[r.idx].size
	if int64(len(b)) > end-r.off {
		b = b[:end-r.off]
	}
	n, err := r.f.ReadAt(b, r.off-r.start)
	r.off += int64(n)
	if err == io.EOF && n == len(b) {
		err = nil
	}
	if err == io.EOF { // a part file shorter than recorded
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// seekPart opens the part that holds r.off.
func (r *objectReader) seekPart() error {
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
	var start int64
	for i, p := range r.parts {
		if r.off < start+p.size {
			f, err := os.Open(p.path)
			if err != nil {
				return err
			}
			r.f, r.idx, r.start = f, i, start
			return nil
		}
		start += p.size
	}
	return io.EOF
}

func (r *objectReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	default:
		return 0, errors.New("objectReader.Seek: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("objectReader.Seek: negative position")
	}
	r.off = offset
	return offset, nil
}

func (r *objectReader) Close() error {
	if r.f != nil {
		err := r.f.Close()
		r.f = nil
		return err
	}
	return nil
}

// store makes obj the object at bucket/key, replacing (and deleting) any
// earlier one.
func (u *uploadStore) store(bucket, key string, obj *storedUpload) {
	u.mu.Lock()
	old := u.objects[bucket+"/"+key]
	u.objects[bucket+"/"+key] = obj
	u.mu.Unlock()
	if old != nil {
		old.remove()
	}
}

// putFile is PUT /<key>: the whole object in one request.
func (c *objCall) putFile() {
	if c.r.ContentLength < 0 {
		c.fail(http.StatusLengthRequired, -1, "Content-Length required")
		return
	}
	f, err := c.s.uploads.newFile("object")
	if err != nil {
		c.fail(http.StatusInternalServerError, -1, err.Error())
		return
	}
	got, ok := c.receive(f, true, false)
	if err := f.Close(); !ok || err != nil {
		os.Remove(f.Name())
		if ok {
			c.fail(http.StatusInternalServerError, -1, err.Error())
		}
		return
	}
	c.s.uploads.store(c.bucket, c.key, &storedUpload{path: f.Name(), size: got.n, etag: got.storedETag, at: time.Now()})
	c.w.Header().Set("ETag", `"`+got.ansETag+`"`)
	c.w.WriteHeader(http.StatusOK)
}

// sortedParts lists an upload's parts by number.
func sortedParts(up *mpUpload) []int {
	nums := make([]int, 0, len(up.parts))
	for n := range up.parts {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	return nums
}
