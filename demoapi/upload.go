package demoapi

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// UFile uploads: the simulator also takes objects, under the same
// /ufile/<bucket>/<key> paths as the demo objects (objects.go), speaking
// docs/UFILE.md's protocol: multipart (Initiate, UploadPart, Finish, Abort,
// ListParts) and PutFile, every call signature-checked like UFile does it.
// Parts and finished objects are files in a temporary directory, never
// held in memory, so a benchmark can push gigabytes through. Finished
// objects answer GET and HEAD (with the UFile ETag of their bytes) like the
// demo objects. Faults (upload_faults.go) make calls fail, cut, crawl or
// store corrupt data, and every call is logged for tests (UploadRequests).
//
// Any bucket name is accepted and created on first write, except
// DemoMissingBucket, which answers "bucket not exist" (-30010). Uploaded
// objects are public to read, except in DemoPrivateBucket. The generated
// demo objects' keys stay read-only.

// DemoMissingBucket is a bucket name the demo says does not exist.
const DemoMissingBucket = "no-such-bucket"

// DefaultBlkSize is the part size the demo hands out, as UFile's docs show.
const DefaultBlkSize = 4 << 20

// UploadOptions configures the object calls. The zero value serves UFile's
// documented defaults.
type UploadOptions struct {
	// BlkSize is the part size Initiate answers; 0 means DefaultBlkSize.
	// Tests use small ones (64 KiB) to get many parts from small files.
	BlkSize int64
	// Dir holds parts and objects; "" means a new temporary directory,
	// removed by Close.
	Dir string
	// ListPartsMax caps a ListParts page, whatever max-parts asks, so
	// paging can be tested; 0 means 1000.
	ListPartsMax int
	// LongPartETags answers part ETags in the 32-character UFile form
	// (uint32le(1) || SHA1), as the UploadPart doc example shows, instead
	// of base64url(SHA1) as the ListParts example shows. docs/UFILE.md: which
	// one UFile sends is unconfirmed, so clients must take both.
	LongPartETags bool
}

// uploadStore is the object side of a Server.
type uploadStore struct {
	blkSize   int64
	listMax   int
	longETags bool

	dirOnce sync.Once
	dir     string
	dirErr  error
	ownDir  bool

	mu          sync.Mutex
	uploads     map[string]*mpUpload     // by UploadId
	objects     map[string]*storedUpload // by bucket + "/" + key
	faults      []*uploadFaultState
	log         []UploadRequest
	inFlight    int // part requests being served
	maxInFlight int
	seq         int // names part and object files uniquely
}

// mpUpload is one initiated multipart upload.
type mpUpload struct {
	id, bucket, key string
	parts           map[int]storedPart
}

// storedPart is a part file on disk, with the hashes of its bytes.
type storedPart struct {
	path   string
	size   int64
	etag   string // as answered
	at     time.Time
	sha1   [sha1.Size]byte   // of the bytes stored
	blocks [][sha1.Size]byte // their 4 MiB block hashes, if taken
}

// storedUpload is a finished object on disk: one file (PutFile, or a
// multipart upload once something asked for its path), or the part files
// it was finished from, read in order (see objectReader).
type storedUpload struct {
	size int64
	etag string
	at   time.Time

	mu    sync.Mutex
	path  string       // "" until a multipart object is asked for one file
	parts []storedPart // the part files, in order; nil for PutFile
}

func newUploadStore(o UploadOptions) *uploadStore {
	u := &uploadStore{blkSize: o.BlkSize, listMax: o.ListPartsMax, longETags: o.LongPartETags, dir: o.Dir,
		uploads: map[string]*mpUpload{}, objects: map[string]*storedUpload{}}
	if u.blkSize <= 0 {
		u.blkSize = DefaultBlkSize
	}
	if u.listMax <= 0 {
		u.listMax = 1000
	}
	return u
}

// workDir creates the temporary directory on first use, so a server that
// never takes an upload leaves nothing behind.
func (u *uploadStore) workDir() (string, error) {
	u.dirOnce.Do(func() {
		if u.dir != "" {
			u.dirErr = os.MkdirAll(u.dir, 0o700)
			return
		}
		u.dir, u.dirErr = os.MkdirTemp("", "uimport-demo-ufile-")
		u.ownDir = u.dirErr == nil
	})
	return u.dir, u.dirErr
}

// newFile creates a uniquely named file in the work directory.
func (u *uploadStore) newFile(prefix string) (*os.File, error) {
	dir, err := u.workDir()
	if err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, prefix+"-*")
}

func (u *uploadStore) close() {
	u.dirOnce.Do(func() {}) // no directory is made after Close
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ownDir {
		os.RemoveAll(u.dir)
	}
}

// serveUpload answers the object calls that write, list or read uploaded
// objects, and reports whether it did; anything else on /ufile/ (reads of
// the built-in demo objects) is left to serveObject.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) bool {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, objectPrefix), "/")
	if isBuiltInKey(key) && (bucket == DemoBucket || bucket == DemoPrivateBucket) {
		return false // the generated demo objects stay read-only (405)
	}
	q := r.URL.Query()
	var op string
	switch m := r.Method; {
	case m == http.MethodPost && q.Has("uploads"):
		op = OpInitiate
	case m == http.MethodPut && q.Has("uploadId"):
		op = OpPart
	case m == http.MethodPost && q.Has("uploadId"):
		op = OpFinish
	case m == http.MethodDelete && q.Has("uploadId"):
		op = OpAbort
	case m == http.MethodGet && q.Has("muploadpart"):
		op = OpList
	case m == http.MethodPut:
		op = OpPut
	case m == http.MethodDelete:
		op = OpDelete
	case (m == http.MethodGet || m == http.MethodHead) && s.uploads.object(bucket, key) != nil:
		op = OpGet
	default:
		return false
	}
	c := &objCall{s: s, w: &statusWriter{ResponseWriter: w}, r: r, op: op, bucket: bucket, key: key,
		uploadID: q.Get("uploadId"), part: -1}
	defer c.done()
	if !c.begin() {
		return true
	}
	if c.faulted && c.fault.Cut && op != OpPart && op != OpPut {
		// A cut after the call was performed: its answer is lost, the
		// case that makes a retried Finish find its upload gone.
		real := c.w.ResponseWriter
		c.w.ResponseWriter = &lostAnswer{h: http.Header{}}
		defer func() { c.w.ResponseWriter = real; c.cutNow() }()
	}
	switch op {
	case OpInitiate:
		c.initiate()
	case OpPart:
		c.uploadPart()
	case OpFinish:
		c.finish()
	case OpAbort:
		c.abort()
	case OpList:
		c.listParts()
	case OpPut:
		c.putFile()
	case OpDelete:
		c.deleteObject()
	case OpGet:
		c.getObject()
	}
	return true
}

func (u *uploadStore) object(bucket, key string) *storedUpload {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.objects[bucket+"/"+key]
}

func (c *objCall) initiate() {
	u := c.s.uploads
	b := make([]byte, 16)
	rand.Read(b)
	up := &mpUpload{id: hex.EncodeToString(b), bucket: c.bucket, key: c.key, parts: map[int]storedPart{}}
	u.mu.Lock()
	u.uploads[up.id] = up
	u.mu.Unlock()
	c.uploadID = up.id
	c.json(http.StatusOK, map[string]any{"UploadId": up.id, "BlkSize": u.blkSize, "Bucket": c.bucket, "Key": c.key})
}

func (c *objCall) abort() {
	u := c.s.uploads
	u.mu.Lock()
	up := u.uploads[c.uploadID]
	if up != nil && up.bucket == c.bucket && up.key == c.key {
		delete(u.uploads, c.uploadID)
	}
	u.mu.Unlock()
	if up == nil || up.bucket != c.bucket || up.key != c.key {
		c.noUpload()
		return
	}
	for _, p := range up.parts {
		os.Remove(p.path)
	}
	c.w.WriteHeader(http.StatusOK)
}

// noUpload answers a call naming an unknown UploadId. docs/UFILE.md: the real
// status and RetCode are unconfirmed (any 4xx must mean "start over" to a
// client); the demo says 404 with RetCode -1.
func (c *objCall) noUpload() {
	c.fail(http.StatusNotFound, -1, "upload id not exist")
}

// lostAnswer swallows an answer that a Cut fault will never deliver.
type lostAnswer struct{ h http.Header }

func (l *lostAnswer) Header() http.Header         { return l.h }
func (l *lostAnswer) Write(b []byte) (int, error) { return len(b), nil }
func (l *lostAnswer) WriteHeader(int)             {}
