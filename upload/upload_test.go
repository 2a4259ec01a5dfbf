package upload

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

func TestUploadMultipartSmallBlk(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 64 << 10, ListPartsMax: 7})
	file := writeFile(t, t.TempDir(), "disk.raw", 5<<20+12345, 1)
	var pl progressLog
	o := e.opts(file)
	o.Progress = pl.fn
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "disk.raw", res)
	if !res.Multipart || res.Parts != 81 || res.BlkSize != 64<<10 || res.Resumed || len(res.Notes) != 0 {
		t.Errorf("result %+v", res)
	}
	last := pl.calls[len(pl.calls)-1]
	if last.Phase != PhaseDone || last.Done != res.Size || last.PartsDone != 81 || last.PartsTotal != 81 || pl.overlap {
		t.Errorf("last progress %+v (overlap %v)", last, pl.overlap)
	}
	for i := 1; i < len(pl.calls); i++ {
		if pl.calls[i].Done < pl.calls[i-1].Done {
			t.Fatalf("Done went back: %+v then %+v", pl.calls[i-1], pl.calls[i])
		}
	}
	if entries, _ := os.ReadDir(e.dir); len(entries) != 0 {
		t.Errorf("state dir not cleaned: %v", entries)
	}
	if e.srv.PendingUploads() != 0 {
		t.Error("an upload is left pending")
	}
}

// ETag blocks are always 4 MiB, whatever BlkSize: equal, a multiple, not
// a multiple (blocks straddle parts, in both directions), and smaller.
func TestUploadBlkSizes(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name string
		blk  int64
		size int64
		long bool
	}{
		{"4MiB", 4 * mib, 18*mib + 7, false},
		{"4MiB long part ETags", 4 * mib, 9 * mib, true},
		{"8MiB", 8 * mib, 17 * mib, false},
		{"5MiB straddling", 5 * mib, 16*mib + 3, false},
		{"3MiB straddling", 3 * mib, 13 * mib, false},
		{"1.5MiB", 3 * mib / 2, 10*mib + 1, false},
		{"exact multiple", 4 * mib, 12 * mib, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, demoapi.UploadOptions{BlkSize: tc.blk, LongPartETags: tc.long})
			file := writeFile(t, t.TempDir(), "d.img", tc.size, uint64(tc.blk+tc.size))
			res, err := Upload(context.Background(), e.opts(file))
			if err != nil {
				t.Fatal(err)
			}
			e.checkStored(file, "d.img", res)
			if want := int(ceilDiv(tc.size, tc.blk)); res.Parts != want {
				t.Errorf("%d parts, want %d", res.Parts, want)
			}
		})
	}
}

// Tens of MB with 500s and cut connections: the object is still exact.
func TestUploadSurvivesFaults(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
	file := writeFile(t, t.TempDir(), "big.qcow2", 24<<20+100, 3)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{2, 5}, Status: 500, Times: 4})
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{7, 11}, Cut: true, Times: 3})
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{13}, Status: 503, RetCode: -1, Times: 1})
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpInitiate, Status: 502, Times: 1})
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpFinish, Status: 500, Times: 1})
	res, err := Upload(context.Background(), e.opts(file))
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "big.qcow2", res)
	tries := map[int]int{}
	for _, r := range e.srv.UploadRequests() {
		if r.Op == demoapi.OpPart {
			tries[r.Part]++
		}
	}
	if tries[2]+tries[5] != 6 || tries[7]+tries[11] != 5 || tries[13] != 2 || tries[0] != 1 {
		t.Errorf("attempts per part: %v", tries)
	}
}

func TestUploadParallel(t *testing.T) {
	for _, par := range []int{1, 4} {
		e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
		e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Delay: 50 * time.Millisecond})
		file := writeFile(t, t.TempDir(), "p.raw", 5<<20, 4)
		o := e.opts(file)
		o.Parallel = par
		if _, err := Upload(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		if got := e.srv.MaxPartsInFlight(); par == 1 && got != 1 || par > 1 && got < 2 {
			t.Errorf("parallel %d: %d parts in flight at most", par, got)
		}
	}
}

// The file is read into one BlkSize buffer per worker, never whole.
func TestUploadBuffers(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "m.raw", 12<<20, 5)
	var mu sync.Mutex
	var sizes []int
	o := e.opts(file)
	o.Parallel = 3
	o.alloc = func(n int) []byte {
		mu.Lock()
		sizes = append(sizes, n)
		mu.Unlock()
		return make([]byte, n)
	}
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "m.raw", res)
	if len(sizes) == 0 || len(sizes) > 3 {
		t.Fatalf("%d buffers allocated: %v", len(sizes), sizes)
	}
	for _, n := range sizes {
		if n != 256<<10 {
			t.Errorf("buffer of %d bytes, want BlkSize", n)
		}
	}
}

func TestUploadSmallFiles(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 64 << 10})
	dir := t.TempDir()
	for _, size := range []int64{0, 1, 1 << 20, 4 << 20} {
		file := writeFile(t, dir, "s.raw", size, uint64(size))
		o := e.opts(file)
		o.Key = "small/s.raw"
		res, err := Upload(context.Background(), o)
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		if res.Multipart || res.Parts != 1 {
			t.Errorf("%d bytes: %+v", size, res)
		}
		e.checkStored(file, "small/s.raw", res)
	}
	for _, r := range e.srv.UploadRequests() {
		if r.Op != demoapi.OpPut && r.Op != demoapi.OpGet {
			t.Errorf("a %s call for a small file", r.Op)
		}
	}
}

func TestOptionsChecked(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{})
	file := writeFile(t, t.TempDir(), "x.raw", 10, 1)
	for name, o := range map[string]Options{
		"no client":     {File: file},
		"other bucket":  {File: file, Client: e.c, Bucket: "other"},
		"leading slash": {File: file, Client: e.c, Key: "/x"},
		"dot segments":  {File: file, Client: e.c, Key: "../../x"},
		"newline":       {File: file, Client: e.c, Key: "a\nb"},
		"bad UTF-8":     {File: file, Client: e.c, Key: "\xff.raw"},
		"missing file":  {File: file + ".gone", Client: e.c},
		"not a file":    {File: t.TempDir(), Client: e.c},
	} {
		if _, err := Upload(context.Background(), o); err == nil {
			t.Errorf("%s: no error", name)
		} else if h, ok := err.(interface{ Hint() string }); !ok || h.Hint() == "" {
			t.Errorf("%s: %v has no hint", name, err)
		} else if o.Key != "" && !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v is not ErrInvalidInput", name, err)
		}
	}
}
