// Package ui is uimport's interactive wizard: a full-screen Bubble Tea
// program of small step models, or plain line-by-line prompts for screen
// readers and dumb terminals. It never does HTTP itself: it reaches the API
// and the credential store through the small interfaces below, so tests drive
// it with fakes.
package ui

import (
	"context"
	"io"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/preflight"
)

// API is the part of the UCloud API the wizard uses; *apiclient.Client
// satisfies it.
type API interface {
	GetRegion(ctx context.Context) ([]apiclient.Region, error)
	GetProjectList(ctx context.Context) ([]apiclient.Project, error)
	PrepareImport(r apiclient.ImportRequest) apiclient.PreparedRequest
	SendImport(ctx context.Context, req apiclient.PreparedRequest) (string, error)
	DescribeImage(ctx context.Context, r apiclient.DescribeImageRequest) (apiclient.DescribeImageResult, error)
}

// CredentialStore finds and saves API keys without prompting;
// *keystore.Store (with no Prompt) satisfies it. The wizard does its own
// prompting.
type CredentialStore interface {
	Resolve(ctx context.Context) (keystore.Resolved, error)
	Save(ctx context.Context, c keystore.Credentials) error
}

// Options are what the wizard needs from its caller.
type Options struct {
	// Spec holds the values already known (flags, environment, config);
	// they pre-fill the fields.
	Spec importspec.Spec
	// Profile names the credential profile, for messages.
	Profile string
	// Demo marks every screen DEMO, pre-fills a demo image and never offers
	// to save keys.
	Demo bool
	// Credentials is asked first; when it finds nothing the wizard prompts.
	Credentials CredentialStore
	// NewAPI returns a client for keys; called again if the keys change.
	NewAPI func(apiclient.Keys) API
	// Submit sends the import the user confirmed. Nil means API.SendImport.
	// It is called at most once per explicit Submit.
	Submit func(ctx context.Context, req apiclient.PreparedRequest) (string, error)
	// CheckObject reads the first bytes of the UFile object when the user
	// confirms the URL, so a missing object or a wrong format is caught
	// before anything is sent. Nil means no check. It runs off the UI
	// goroutine and must return when ctx ends.
	CheckObject func(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report
	// DemoObjectURL is, in demo mode, the URL of a demo object of format
	// that CheckObject can really read; nil (or "") means a made-up URL.
	DemoObjectURL func(format string) string
	// Upload, when set, lets the URL step take a file on this machine: it
	// uploads the file to the bucket and key, resuming an interrupted
	// upload of the same file, calls progress (often: the wizard thins it
	// out), and returns the URL the import reads (pre-signed for a private
	// bucket) and a note such as "pre-signed for 24 h". It must return when
	// ctx ends. Nil offers only a URL already in UFile.
	Upload func(ctx context.Context, req UploadRequest, progress UploadProgress) (importURL, note string, err error)
	// Buckets lists the buckets the keys can see in the project, for a
	// pick list; nil, or an error, means the user types the name.
	Buckets func(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error)
	// SniffFile checks a local file against the declared format before a
	// byte is sent: a summary ("qcow2 (v3), 20 GiB"), the problem that
	// would make the import fail (a *FormatMismatch when the file is
	// another format), and warnings. Nil means no check.
	SniffFile func(path, declared string) (summary string, blocking error, warnings []string)
	// DemoFile, in demo mode, makes a sample image and returns its path, to
	// pre-fill the file field.
	DemoFile func() (string, error)
	// File, when Path is set, answers "where is the image?" with a file on
	// this machine and pre-fills it (`uimport import --file F` on a terminal).
	File FileSpec
	// Accessible asks line by line, with no full-screen drawing.
	Accessible bool
	// In and Out are the terminal: keys come from In, screens go to Out
	// (stderr, so stdout stays free for the ImageId).
	In  io.Reader
	Out io.Writer
	// PollInterval is the first wait between DescribeImage polls; 0 means 2s.
	PollInterval time.Duration
	// Now is the clock for elapsed times; nil means time.Now.
	Now func() time.Time
}

// Result is how the wizard ended; the caller prints it and picks the exit code.
type Result struct {
	// Spec is the import as last reviewed.
	Spec importspec.Spec
	// ImageID is set once the API accepted the import.
	ImageID string
	// State is the image's last known state, when the user waited for it.
	State string
	// Err is the last submit's error, when the user quit after a failure.
	Err error
	// Interrupted means Ctrl+C.
	Interrupted bool
	// Cancelled means the user chose Cancel (or quit) before submitting.
	Cancelled bool
	// MaybeSent means the user interrupted while a submit was in flight:
	// the import may have reached the API.
	MaybeSent bool
	// Curl is the request as a curl command, when the user asked to see it,
	// so it can be printed where it can be copied.
	Curl string
	// KeySource says where the keys came from, for the summary.
	KeySource string
	// UploadStopped means the wizard ended while a file was uploading; the
	// same file, bucket and key resume it next time.
	UploadStopped bool
}

// UploadRequest is what to upload where, with the draft's region and
// project (where a bucket is when the API cannot say) and the keys in use.
type UploadRequest struct {
	Path, Bucket, Key string
	Region, ProjectID string
	Keys              apiclient.Keys
}

// FileSpec is a local file to upload, as given on the command line.
type FileSpec struct{ Path, Bucket, Key string }

// UploadProgress is told the bytes and parts UFile confirmed so far, and
// the recent rate in bytes per second.
type UploadProgress func(done, total int64, partsDone, partsTotal int, rate float64)

// FormatMismatch is SniffFile's blocking error for a file of another
// format than the one declared. File is the file's format as the API
// spells it, so the wizard can offer to declare it.
type FormatMismatch struct{ File, Declared string }

func (e *FormatMismatch) Error() string {
	return "the file is " + e.File + " but the format given is " + e.Declared
}
