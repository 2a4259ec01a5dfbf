package upload

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

func (e *env) tries(op string, part int) int {
	n := 0
	for _, r := range e.srv.UploadRequests() {
		if r.Op == op && (part < 0 || r.Part == part) {
			n++
		}
	}
	return n
}

// A part stored with a flipped byte is sent again; if it keeps coming
// back wrong, the run ends with ErrIntegrity and the state is kept.
func TestCorruptPart(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "x.raw", 5<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{3}, Corrupt: true})
	_, err := Upload(context.Background(), e.opts(file))
	var ie *IntegrityError
	if !errors.Is(err, ErrIntegrity) || !errors.As(err, &ie) || ie.Finished || !strings.Contains(ie.What, "part 3") || ie.Hint() == "" {
		t.Fatalf("err = %v", err)
	}
	if n := e.tries(demoapi.OpPart, 3); n != 1+maxMismatches {
		t.Errorf("part 3 sent %d times", n)
	}
	if e.tries(demoapi.OpFinish, -1) != 0 {
		t.Error("Finish was called")
	}
	// The state was kept: once the fault is gone, the run finishes.
	e.srv.ClearUploadFaults()
	e.settle()
	id := e.lastUploadID()
	res, err := Upload(context.Background(), e.opts(file))
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "x.raw", res)
	for n, k := range e.srv.PartsStored(id) {
		if n == 3 && k != 2+maxMismatches || n != 3 && k != 1 {
			t.Errorf("part %d stored %d times", n, k)
		}
	}

	// A corruption that happens once is repaired by sending the part again.
	e = newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{7}, Corrupt: true, Times: 1})
	if res, err = Upload(context.Background(), e.opts(file)); err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "x.raw", res)
	if n := e.srv.PartsStored(e.lastUploadID())[7]; n != 2 {
		t.Errorf("part 7 stored %d times", n)
	}
}

// Bytes that rot after the part's ETag was answered are only caught by
// the whole object's ETag: ErrIntegrity, never a success.
func TestCorruptObject(t *testing.T) {
	for _, size := range []int64{9 << 20, 3 << 20} { // multipart, PutFile
		e := newEnv(t, demoapi.UploadOptions{BlkSize: 1 << 20})
		file := writeFile(t, t.TempDir(), "y.raw", size, 2)
		e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{2}, CorruptSilently: true, Times: 1})
		e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPut, CorruptSilently: true, Times: 1})
		res, err := Upload(context.Background(), e.opts(file))
		var ie *IntegrityError
		if !errors.As(err, &ie) || !ie.Finished || !strings.Contains(err.Error(), "ETag") {
			t.Fatalf("%d bytes: err = %v, result %+v", size, err, res)
		}
		if entries, _ := os.ReadDir(e.dir); len(entries) != 0 {
			t.Errorf("state left after a finished upload: %v", entries)
		}
	}
}

func TestCorruptPutFile(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{})
	file := writeFile(t, t.TempDir(), "z.raw", 100<<10, 3)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPut, Corrupt: true})
	if _, err := Upload(context.Background(), e.opts(file)); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("err = %v", err)
	}
	if n := e.tries(demoapi.OpPut, -1); n != 1+maxMismatches {
		t.Errorf("PutFile sent %d times", n)
	}
}

// A signature or permission error stops at once: no retry.
func TestAuthStopsAtOnce(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "k.raw", 5<<20, 1)
	good := e.c.Keys
	e.c.Keys = apiclient.Keys{PublicKey: good.PublicKey, PrivateKey: "wrong"}
	_, err := Upload(context.Background(), e.opts(file))
	var ue *ufile.Error
	if !errors.As(err, &ue) || ue.Kind != ufile.KindAuth || ue.RetCode != ufile.RetInvalidSignature || errors.As(err, new(*ResumableError)) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(ue.Hint(), "signature") || e.tries(demoapi.OpInitiate, -1) != 1 {
		t.Errorf("hint %q, %d Initiate calls", ue.Hint(), e.tries(demoapi.OpInitiate, -1))
	}

	// Refused mid-upload (the token lost its write permission).
	e.c.Keys = good
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{4}, Status: 403, RetCode: -148658, Message: "invalid signature"})
	_, err = Upload(context.Background(), e.opts(file))
	if ufile.KindOf(err) != ufile.KindAuth || e.tries(demoapi.OpPart, 4) != 1 {
		t.Fatalf("err = %v, part 4 sent %d times", err, e.tries(demoapi.OpPart, 4))
	}
}

func TestNoSuchBucket(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{})
	file := writeFile(t, t.TempDir(), "n.raw", 5<<20, 1)
	e.c.Bucket = demoapi.DemoMissingBucket
	e.c.Endpoint.Path = "/ufile/" + demoapi.DemoMissingBucket
	if _, err := Upload(context.Background(), e.opts(file)); ufile.KindOf(err) != ufile.KindNoBucket {
		t.Fatalf("err = %v", err)
	}
}

// The network gone past the retry budget: a resumable, transient error;
// once it is back, the same call finishes without re-sending.
func TestNetworkGone(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "w.raw", 5<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{9}, Status: 503})
	o := e.opts(file)
	_, err := Upload(context.Background(), o)
	var re *ResumableError
	if !errors.As(err, &re) || !ufile.IsRetryable(err) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := e.tries(demoapi.OpPart, 9); n != o.Retry.Attempts {
		t.Errorf("part 9 tried %d times", n)
	}
	e.srv.ClearUploadFaults()
	e.settle()
	id := e.lastUploadID()
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "w.raw", res)
	e.noPartTwice(id, 20)
}

// A connection that stops moving is abandoned after the stall timeout and
// the part sent again.
func TestStalledPartRetried(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "s.raw", 5<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{1}, Delay: 3 * time.Second, Times: 1})
	o := e.opts(file)
	o.StallTimeout = 200 * time.Millisecond
	start := time.Now()
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "s.raw", res)
	if e.tries(demoapi.OpPart, 1) != 2 || time.Since(start) > 2*time.Second {
		t.Errorf("part 1 sent %d times in %v", e.tries(demoapi.OpPart, 1), time.Since(start))
	}
}

// The same for a small file's single PutFile.
func TestStalledPutFileRetried(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{})
	file := writeFile(t, t.TempDir(), "p.raw", 1<<20, 1)
	e.srv.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPut, Delay: 3 * time.Second, Times: 1})
	o := e.opts(file)
	o.StallTimeout = 200 * time.Millisecond
	res, err := Upload(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	e.checkStored(file, "p.raw", res)
	if n := e.tries(demoapi.OpPut, -1); n != 2 {
		t.Errorf("PutFile sent %d times", n)
	}
}
