package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// fakeUpload is the Upload hook: it reports progress spam times, one
// every tick, then answers with the next of fails (nil: success). With a
// gate it waits for the gate, or for its context to end.
type fakeUpload struct {
	mu        sync.Mutex
	targets   []uploadTarget
	fails     []error
	spam      int
	tick      time.Duration
	gate      chan struct{}
	reported  chan struct{} // closed, when set, once the reports are done
	cancelled int
}

func (f *fakeUpload) upload(ctx context.Context, req UploadRequest, progress UploadProgress) (string, string, error) {
	path, bucket, key := req.Path, req.Bucket, req.Key
	f.mu.Lock()
	n := len(f.targets)
	f.targets = append(f.targets, uploadTarget{path, bucket, key})
	gate := f.gate
	f.mu.Unlock()
	for i := range f.spam {
		done, total := int64(i)<<20, int64(f.spam)<<20
		progress(UploadStatus{Done: done, Total: total, PartsDone: i / 4, PartsTotal: (f.spam + 3) / 4, Rate: 8 << 20,
			ETA: time.Duration(float64(total-done) / (8 << 20) * float64(time.Second))})
		time.Sleep(f.tick)
	}
	if f.reported != nil && n == 0 {
		close(f.reported)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			f.mu.Lock()
			f.cancelled++
			f.mu.Unlock()
			return "", "", &hinted{ctx.Err(), "Run the same command again to resume."}
		}
	}
	if n < len(f.fails) && f.fails[n] != nil {
		return "", "", f.fails[n]
	}
	return "https://" + bucket + ".sg.ufileos.com/" + key + "?Signature=x", "pre-signed for 24 h", nil
}

func (f *fakeUpload) cancels() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cancelled
}

func (f *fakeUpload) calls() []uploadTarget {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]uploadTarget(nil), f.targets...)
}

// hinted is an error with a hint, as the CLI's upload errors are.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Hint() string  { return h.hint }

// fakeSniff says a *.vmdk file is VMDK and anything else qcow2.
func fakeSniff(path, declared string) (string, error, []string) {
	format := "qcow2"
	if strings.HasSuffix(path, ".vmdk") {
		format = "VMDK"
	}
	if declared != "" && declared != format {
		return format + " (sniffed)", &FormatMismatch{File: format, Declared: declared}, nil
	}
	return format + " (sniffed), 1 KiB", nil, nil
}

// imageFile writes a small file named name in a temp dir.
func imageFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("QFI\xfb not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fileOptions are checkOptions with the upload hooks; buckets nil means
// the user types the bucket.
func fileOptions(api *fakeAPI, check *fakeCheck, up *fakeUpload, buckets []string) Options {
	opts := checkOptions(api, check)
	hooks(opts).upload, hooks(opts).sniffFile = up.upload, fakeSniff
	if buckets != nil {
		hooks(opts).buckets = func(context.Context, apiclient.Keys, string) ([]string, error) { return buckets, nil }
	}
	return opts
}
