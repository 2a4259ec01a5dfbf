package upload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// interrupted starts an upload and cancels it once `after` parts are done,
// as Ctrl+C would. It returns the upload id the server handed out.
func (e *env) interrupted(o Options, after int) string {
	e.t.Helper()
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Delay: 15 * time.Millisecond})
	defer e.srv.ClearUploadFaults()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.ProgressEvery = 2 * time.Millisecond
	o.Progress = func(p Progress) {
		if p.PartsDone >= after {
			cancel()
		}
	}
	_, err := Upload(ctx, o)
	var re *ResumableError
	if !errors.As(err, &re) || !errors.Is(err, context.Canceled) || re.PartsDone < after || re.Hint() == "" {
		e.t.Fatalf("interrupted upload: %v", err)
	}
	if _, err := os.Stat(re.StatePath); err != nil {
		e.t.Fatalf("state not kept: %v", err)
	}
	e.settle()
	return e.lastUploadID()
}

// settle waits until the server has finished with every part: parts
// whose body it already had get stored after the client gave up, which a
// resume then adopts instead of re-sending. A rerun racing with those
// would send them again, correctly but not what the tests count.
func (e *env) settle() {
	e.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); e.srv.PartsInFlight() > 0; {
		if time.Now().After(deadline) {
			e.t.Fatal("the server never settled")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) lastUploadID() string {
	id := ""
	for _, r := range e.srv.UploadRequests() {
		if r.Op == demoapi.OpInitiate && r.Status == 200 {
			id = r.UploadID
		}
	}
	return id
}

// noPartTwice fails if any part of id was stored more than once.
func (e *env) noPartTwice(id string, parts int) {
	e.t.Helper()
	stored := e.srv.PartsStored(id)
	for n, k := range stored {
		if k != 1 {
			e.t.Errorf("part %d stored %d times", n, k)
		}
	}
	if len(stored) != parts {
		e.t.Errorf("%d parts stored, want %d", len(stored), parts)
	}
}

func TestResumeSendsNoPartTwice(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name      string
		blk, size int64
		torn      bool
	}{
		{"256KiB", 256 << 10, 12 * mib, false},
		{"256KiB torn state", 256 << 10, 12*mib + 5, true},
		{"3MiB straddling", 3 * mib, 31 * mib, false},
		{"5MiB straddling", 5 * mib, 41*mib + 9, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, demoapi.UploadOptions{BlkSize: tc.blk, ListPartsMax: 3})
			file := writeFile(t, t.TempDir(), "r.vmdk", tc.size, uint64(tc.size))
			o := e.opts(file)
			id := e.interrupted(o, 3)
			if tc.torn { // kill -9 mid-write: the last line is cut short
				tearLastLine(t, e.dir)
			}
			res, err := Upload(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			e.checkStored(file, "r.vmdk", res)
			if !res.Resumed || res.SkippedParts < 2 || res.SkippedBytes < 2*tc.blk {
				t.Errorf("result %+v", res)
			}
			if e.lastUploadID() != id {
				t.Error("a new upload was started")
			}
			e.noPartTwice(id, res.Parts)
		})
	}
}

func tearLastLine(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("state files: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	last := lines[len(lines)-1]
	torn := strings.Join(lines[:len(lines)-1], "") + last[:len(last)/2]
	if err := os.WriteFile(files[0], []byte(torn), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestChangedFileStartsOver(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	dir := t.TempDir()
	file := writeFile(t, dir, "c.raw", 6<<20, 1)
	o := e.opts(file)
	old := e.interrupted(o, 2)
	writeFile(t, dir, "c.raw", 6<<20+1, 2)
	later := time.Now().Add(time.Hour)
	os.Chtimes(file, later, later)
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "c.raw", res)
	if res.Resumed || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "changed") {
		t.Errorf("result %+v", res)
	}
	if e.lastUploadID() == old || e.srv.PendingUploads() != 0 {
		t.Error("the old upload was not replaced and aborted")
	}
}

func TestRestartAndAbort(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "a.raw", 6<<20, 1)
	o := e.opts(file)
	old := e.interrupted(o, 2)
	o.Restart = true
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "a.raw", res)
	if res.Resumed || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "--restart") || e.lastUploadID() == old {
		t.Errorf("result %+v", res)
	}
	if e.srv.PendingUploads() != 0 {
		t.Error("the old upload was not aborted")
	}

	o.Restart = false
	e.interrupted(o, 2)
	os.Remove(file) // Abort works even when the file is gone
	if n, err := Abort(context.Background(), o); n != 1 || err != nil {
		t.Fatalf("Abort = %d, %v", n, err)
	}
	if e.srv.PendingUploads() != 0 {
		t.Error("Abort left the upload on the server")
	}
	if entries, _ := os.ReadDir(e.dir); len(entries) != 0 {
		t.Errorf("Abort left %v", entries)
	}
	if n, err := Abort(context.Background(), o); n != 0 || err != nil {
		t.Errorf("second Abort = %d, %v", n, err)
	}
}

// UFile forgets the upload mid-run (aborted elsewhere, expired): the run
// starts over once by itself.
func TestUploadGoneStartsOver(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "g.raw", 6<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Delay: 10 * time.Millisecond})
	o := e.opts(file)
	var once sync.Once
	o.ProgressEvery = 2 * time.Millisecond
	o.Progress = func(p Progress) {
		if p.PartsDone >= 3 {
			once.Do(func() { e.c.AbortMultipartUpload(context.Background(), "g.raw", e.lastUploadID()) })
		}
	}
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "g.raw", res)
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "started over") {
		t.Errorf("notes %q", res.Notes)
	}
}

// Finish's answer is lost: the retried Finish finds the upload gone, and
// HEAD shows the object is complete.
func TestLostFinishAnswer(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
	file := writeFile(t, t.TempDir(), "f.raw", 5<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpFinish, Cut: true, Times: 1})
	res, err := Upload(context.Background(), e.opts(file))
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "f.raw", res)

	// The same, with no retry left: the next run finds it complete.
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpFinish, Cut: true, Times: 1})
	o := e.opts(file)
	o.Key = "f2.raw"
	o.Retry.Attempts = 1
	if _, err := Upload(context.Background(), o); !errors.As(err, new(*ResumableError)) {
		t.Fatalf("err = %v", err)
	}
	id := e.lastUploadID()
	o.Retry.Attempts = 3
	res, err = Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "f2.raw", res)
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "already finished") || e.lastUploadID() != id {
		t.Errorf("result %+v", res)
	}
	e.noPartTwice(id, 5)
}
