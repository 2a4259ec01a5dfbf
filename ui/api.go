// Package ui is uimport's interactive wizard: a full-screen Bubble Tea
// program of small step models, or plain line-by-line prompts for screen
// readers and dumb terminals. It never does HTTP itself: it reaches the
// application through one Backend (SessionBackend is the importer's), so
// tests drive it with a fake. The two runners share the wizard's state
// changes (methods on wizardState) and only do IO.
package ui

import (
	"context"
	"io"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/iostreams"
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

// CredentialStore finds and saves API keys without prompting; the wizard
// does its own prompting.
type CredentialStore = importer.KeyStore

// Backend is everything the wizard asks of the application. Calls that
// can take time run off the UI goroutine and must return when ctx ends.
type Backend interface {
	// Keys is where keys are looked for first, and saved when asked.
	Keys() CredentialStore
	// SavesKeys reports whether typed keys may be saved, and other keys
	// than the ones found may be typed.
	SavesKeys() bool
	// KeySource says, for a person, where resolved keys came from.
	KeySource(r keystore.Resolved) string
	// Connect returns the API for keys; called again when the keys change.
	Connect(keys apiclient.Keys) API
	// Submit sends the import the user confirmed, through api, recorded
	// before it is sent; at most once per explicit Submit.
	Submit(ctx context.Context, api API, req apiclient.PreparedRequest) (string, error)
	// PollInterval is the first wait between DescribeImage polls.
	PollInterval() time.Duration
	// Features are the optional steps this backend offers.
	Features() Features
	// CheckObject reads the first bytes of the UFile object when the user
	// confirms the URL, so a missing object or a wrong format is caught
	// before anything is sent (Features.CheckObjects).
	CheckObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report
	// CheckFile checks a local file against the declared format before a
	// byte is sent (Features.CheckFiles).
	CheckFile(path, declared string) FileVerdict
	// Upload puts a local file into a bucket, resuming an interrupted
	// upload of the same file, calls progress (often: the wizard thins it
	// out), and returns the URL the import reads (pre-signed for a private
	// bucket) and a note such as "pre-signed for 24h" (Features.Uploads).
	Upload(ctx context.Context, req UploadRequest, progress UploadProgress) (importURL, note string, err error)
	// Buckets lists the buckets the keys see in the project, for a pick
	// list (Features.ListsBuckets); an error means the user types the name.
	Buckets(ctx context.Context, keys apiclient.Keys, projectID string) ([]string, error)
	// DemoObjectURL is a demo object of format that CheckObject can really
	// read, to pre-fill the URL; "" means none.
	DemoObjectURL(format string) string
	// DemoFile makes a sample image and returns its path, to pre-fill the
	// file field; "" means none.
	DemoFile() (string, error)
	// Inspect looks inside the image (a local file or an object URL) with
	// what is declared so far, telling progress each stage; the error is
	// for an image that could not be read at all (Features.Inspects).
	Inspect(ctx context.Context, req InspectRequest, progress func(stage string)) (Inspection, error)
	// DemoImages are the simulator's guest disks to choose from; nil for
	// the real cloud.
	DemoImages() []DemoImage
	// Copy copies the Available image to other regions with keys: one
	// CopyCustomImage per target, recorded before it is sent, never
	// retried, each copy followed in its own region (Features.Copies).
	// onEvent gets progress from other goroutines; calls never overlap.
	Copy(ctx context.Context, keys apiclient.Keys, req importer.CopyRequest, onEvent func(imagecopy.Event)) ([]imagecopy.Result, error)
}

// Features are the optional steps a Backend offers.
type Features struct {
	CheckObjects bool // CheckObject when the URL is confirmed
	CheckFiles   bool // CheckFile when the file is confirmed
	Uploads      bool // "a file on this machine"
	ListsBuckets bool // a pick list of buckets
	Copies       bool // "Copy to other regions?" once the image is Available
	Inspects     bool // Inspect: the wizard starts with the image
}

// FileVerdict is CheckFile's answer: a summary ("qcow2 (v3), 20 GiB"), the
// problem that would make the import fail (a *FormatMismatch when the
// file is another format), and warnings.
type FileVerdict struct {
	Summary  string
	Blocking error
	Warnings []string
}

// Options are what the wizard needs from its caller.
type Options struct {
	// Spec holds the values already known (flags, environment, config);
	// they pre-fill the fields.
	Spec importspec.Spec
	// Remembered are OS type and format from earlier runs: they fill the
	// fields the image does not (what it holds comes first; Spec's values
	// are compared with it).
	Remembered importspec.Spec
	// Profile names the credential profile, for messages.
	Profile string
	// Demo marks every screen DEMO and pre-fills a demo image.
	Demo bool
	// Backend is the application: keys, API, submit, checks, upload.
	Backend Backend
	// File, when Path is set, answers "where is the image?" with a file on
	// this machine and pre-fills it (`uimport import --file F` on a terminal).
	File FileSpec
	// Accessible asks line by line, with no full-screen drawing.
	Accessible bool
	// IO says what the terminal is (colours, restoring the input); nil
	// means no terminal features.
	IO *iostreams.IOStreams
	// In and Out are the terminal: keys come from In, screens go to Out
	// (stderr, so stdout stays free for the ImageId).
	In  io.Reader
	Out io.Writer
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
	// Copies are the copies made after the import, in the order chosen;
	// CopiesStopped means the user stopped following them (they go on).
	Copies        []imagecopy.Result
	CopiesStopped bool
	// ChecksOverridden means the user chose to go on past a blocking
	// finding of the inspection or the object check.
	ChecksOverridden bool
}

// UploadRequest is what to upload where, with the draft's region and
// project (where a bucket is when the API cannot say) and the keys in use.
type UploadRequest = importer.UploadRequest

// FileSpec is a local file to upload, as given on the command line.
type FileSpec = importer.FileSpec

// UploadProgress is told how far an upload is.
type UploadProgress func(UploadStatus)

// UploadStatus is the bytes and parts UFile confirmed so far (bytes in
// flight count, so a bar moves within a part), the recent rate in bytes per
// second, and the engine's estimate of the time left (0: none yet).
type UploadStatus struct {
	Done, Total           int64
	PartsDone, PartsTotal int
	Rate                  float64
	ETA                   time.Duration
	// Retry, once per retry, says a call failed and is sent again, and
	// why ("retrying part 3 (2/8) in 1s: connection refused").
	Retry string
}

// FormatMismatch is CheckFile's blocking error for a file of another
// format than the one declared.
type FormatMismatch = importer.FormatMismatch
