// Package upload puts a local disk image into UFile: multipart in parts of
// the server's BlkSize, several in flight, resumable from a state file,
// and verified end to end against the UFile ETag (docs/UFILE.md), computed
// while the file is read once. The caller (the CLI) renders Progress and
// maps errors to exit codes: *ufile.Error of KindAuth (stop at once),
// *ResumableError (network gone or interrupted: state kept), ErrIntegrity
// (stored bytes differ: never a success).
//
// What is sent may also be bytes made from the file (Options.Source: an
// unpacked or converted image): random access goes as a file does; a
// stream is read once, in order, by one reader that hands parts to the
// workers, and a resume makes it again and checks the kept parts against
// it, so "verified" always means the bytes as they are made now.
package upload

import (
	"context"
	"crypto/sha1"
	"errors"
	"github.com/uimport/uimport/internal/regularfile"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/ufile"
)

// StateDir is where uimport keeps upload states under an OS state
// directory (XDG_STATE_HOME), beside the import journal.
func StateDir(stateHome string) string { return filepath.Join(stateHome, "uimport", "uploads") }

// DefaultParallel is how many parts are in flight by default.
const DefaultParallel = 4

// DefaultRetry is each request's budget: 8 attempts with waits of about
// 1, 2, 4, 8, 16, 30, 30 s: a network gone for two minutes is survived,
// one gone for longer ends the run (resumable).
var DefaultRetry = apiclient.RetryPolicy{Attempts: 8, BaseDelay: time.Second, MaxDelay: 30 * time.Second}

// DefaultStallTimeout: a request that moves no byte for this long is
// abandoned and retried, so a dead connection never hangs the upload.
const DefaultStallTimeout = 2 * time.Minute

// DefaultRequestTimeout bounds each request that carries no part (Initiate,
// ListParts, HEAD, Abort; Finish gets five times as long), like the API
// client's --timeout: a hung server is noticed in seconds, not minutes.
const DefaultRequestTimeout = 30 * time.Second

// DefaultRetryFor caps the time one request spends failing and being
// retried, whatever the attempts left: past it the run ends (resumable).
const DefaultRetryFor = 3 * time.Minute

// maxBuffers bounds parallel × BlkSize: a server handing out huge parts
// gets fewer in flight rather than exhausting memory.
const maxBuffers = 1 << 30

// Options says what to upload where. File, Client (with its Bucket) are
// required.
type Options struct {
	File   string
	Bucket string // defaults to Client.Bucket; must equal it if set
	Key    string // defaults to the file's base name; must not start with "/"
	Client *ufile.Client
	// Source, if set, is sent instead of File's own bytes (see Source);
	// File still names the file they are made from.
	Source *Source

	Parallel int // parts in flight; 0 means DefaultParallel
	// StateDir keeps the resume state (created 0700). "" disables resuming.
	StateDir string
	// Restart aborts an interrupted upload of the same file and key and
	// starts over instead of resuming it.
	Restart bool

	// Progress, if set, is called every ProgressEvery (0 means 250 ms),
	// at each phase change and at the end, never concurrently, and never
	// after Upload returns.
	Progress      func(Progress)
	ProgressEvery time.Duration

	Retry        apiclient.RetryPolicy // zero means DefaultRetry
	StallTimeout time.Duration         // 0 means DefaultStallTimeout
	// RequestTimeout bounds each request without a body (--timeout); 0
	// means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RetryFor caps one request's failing and retrying; 0 means
	// DefaultRetryFor.
	RetryFor time.Duration

	// Now and Sleep replace the clock and the backoff wait in tests.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	alloc func(n int) []byte // tests watch buffer allocations
	// create writes a state file; tests make it fail (a full disk).
	create func(path string, st *state) (*stateFile, error)
}

// Result describes the stored object.
type Result struct {
	Bucket, Key string
	URL         string // the object URL, no query
	Size        int64
	ETag        string // the UFile ETag, as verified
	// Verified is true when the server's ETag (and size) matched the one
	// computed from the file. False only when UFile's answer could not be
	// checked (see Notes); a mismatch is an error, never a Result.
	Verified  bool
	Multipart bool
	BlkSize   int64
	Parts     int
	// SkippedParts/SkippedBytes were already on the server (resumed).
	SkippedParts int
	SkippedBytes int64
	Resumed      bool
	// Notes are plain sentences worth showing: a changed file started
	// over, an old upload aborted, a check that could not be made.
	Notes   []string
	Elapsed time.Duration
	// With a Source: what it said of the guest disk (0 when unknown), and
	// its Conversion.
	DiskSize, DataBytes int64
	Conversion          string
}

// uploader is one Upload call.
type uploader struct {
	o         Options
	c         *ufile.Client
	abs       string
	size      int64 // bytes sent: the file's, or Source.Size
	fileSize  int64 // the file's own size, for its identity
	mtime     time.Time
	f         *os.File
	prefix    string // state file prefix ("" without StateDir)
	statePath string
	res       Result
	start     time.Time
	// carry keeps block hashes across a restart: they describe the file,
	// not the upload.
	carry map[int][sha1.Size]byte
	// initiated is the upload id this call started, if any: an upload
	// whose state cannot be saved is aborted rather than left open.
	initiated string
	// m is the current meter (nil before the first part): retry events
	// go through it so Progress calls never overlap.
	m      *meter
	emitMu sync.Mutex
}

func (o *Options) resolve() error {
	if o.Client == nil {
		return &Error{Msg: "no UFile client", HintText: "this is a bug in the caller"}
	}
	if o.Bucket == "" {
		o.Bucket = o.Client.Bucket
	}
	if o.Bucket == "" || o.Bucket != o.Client.Bucket {
		return &Error{Msg: "the bucket is missing or differs from the client's", HintText: "pass --bucket"}
	}
	if o.Key == "" {
		o.Key = filepath.Base(o.File)
	}
	if err := ufile.CheckKey(o.Key); err != nil {
		return &Error{Msg: "the object key is not usable", HintText: "pass another --key: " + err.Error() +
			" (keys are UTF-8, at most 1,024 bytes, without control characters or . and .. segments)", Err: ErrInvalidInput}
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 250 * time.Millisecond
	}
	if o.Retry.Attempts <= 0 {
		o.Retry = DefaultRetry
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = DefaultStallTimeout
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.RetryFor <= 0 {
		o.RetryFor = DefaultRetryFor
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.create == nil {
		o.create = createState
	}
	if o.alloc == nil {
		o.alloc = func(n int) []byte { return make([]byte, n) }
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Upload uploads o.File to o.Bucket/o.Key and verifies the stored object.
// Files of at most 4 MiB go in one PutFile; larger ones go multipart and
// can resume. See the package doc for the errors.
func Upload(ctx context.Context, o Options) (Result, error) {
	u, err := open(o)
	if err != nil {
		return Result{}, err
	}
	defer u.f.Close()
	if u.size <= etagBlock {
		return u.small(ctx)
	}
	return u.multipart(ctx)
}

// open resolves o and opens the file; the state name is derived here.
func open(o Options) (*uploader, error) {
	if err := o.resolve(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(o.File)
	if err != nil {
		return nil, err
	}
	f, err := regularfile.Open(abs)
	if err != nil {
		return nil, &Error{Msg: "cannot read the file", HintText: "check the path and its permissions", Err: err}
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, &Error{Msg: "cannot upload " + safetext.Escape(o.File), HintText: "give the path of a disk image file", Err: err}
	}
	u := &uploader{o: o, c: o.Client, abs: abs, size: fi.Size(), fileSize: fi.Size(), mtime: fi.ModTime(), f: f, start: o.Now()}
	conversion := ""
	if s := o.Source; s != nil {
		if s.Size < 0 || s.Conversion == "" || s.Open == nil {
			f.Close()
			return nil, &Error{Msg: "the Source is incomplete", HintText: "this is a bug in the caller"}
		}
		u.size, conversion = s.Size, s.Conversion
	}
	if o.StateDir != "" {
		u.prefix, u.statePath = stateNames(o.StateDir, abs, o.Bucket, o.Key, u.fileSize, u.mtime, conversion, u.size)
	}
	u.res = Result{Bucket: o.Bucket, Key: o.Key, URL: o.Client.ObjectURL(o.Key), Size: u.size}
	if s := o.Source; s != nil {
		u.res.DiskSize, u.res.DataBytes, u.res.Conversion = s.DiskSize, s.DataBytes, s.Conversion
	}
	return u, nil
}

func (u *uploader) note(s string) { u.res.Notes = append(u.res.Notes, s) }

// done fills the timing fields of a successful Result.
func (u *uploader) done() Result {
	u.res.Elapsed = u.o.Now().Sub(u.start)
	return u.res
}
