package demoapi

import (
	"bytes"
	"context"
	"crypto/sha1"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/ufile"
)

// objClient is a UFile client for bucket on a started demo server.
func objClient(t *testing.T, opts Options, bucket string) (*Server, *ufile.Client) {
	t.Helper()
	s := New(opts)
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ep, _ := url.Parse(UFileEndpoint(base, bucket))
	return s, &ufile.Client{Keys: apiclient.Keys{PublicKey: PublicKey, PrivateKey: PrivateKey}, Bucket: bucket, Endpoint: ep}
}

func TestUploadRoundTrip(t *testing.T) {
	const blk = 64 << 10
	s, c := objClient(t, Options{Uploads: UploadOptions{BlkSize: blk, ListPartsMax: 2}}, "b")
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), (5*blk+100)/16) // 6 parts
	up, err := c.InitiateMultipartUpload(ctx, "dir/x y.qcow2")
	if err != nil || up.BlkSize != blk {
		t.Fatalf("Initiate = %+v, %v", up, err)
	}
	var etags []string
	for n := 0; n*blk < len(data); n++ { // sent in reverse is fine too, but keep it simple
		part := data[n*blk : min((n+1)*blk, len(data))]
		etag, err := c.UploadPart(ctx, "dir/x y.qcow2", up.UploadID, n, bytes.NewReader(part), int64(len(part)))
		if err != nil || ufile.CheckPartETag(etag, sha1Of(part)) != ufile.PartMatch {
			t.Fatalf("part %d: %q, %v", n, etag, err)
		}
		etags = append(etags, etag)
	}
	parts, err := c.ListParts(ctx, up.UploadID) // three pages of two
	if err != nil || len(parts) != 6 || parts[0].Number != 0 || parts[5].Size != int64(len(data)-5*blk) {
		t.Fatalf("ListParts = %v, %v", parts, err)
	}
	if _, err := c.FinishMultipartUpload(ctx, "dir/x y.qcow2", up.UploadID, etags[:5]); ufile.KindOf(err) != ufile.KindUploadGone {
		t.Errorf("Finish with a part missing: %v", err)
	}
	fin, err := c.FinishMultipartUpload(ctx, "dir/x y.qcow2", up.UploadID, etags)
	want, _ := ufile.ETag(bytes.NewReader(data))
	if err != nil || fin.ETag != want || fin.Size != int64(len(data)) {
		t.Fatalf("Finish = %+v, %v; want ETag %s", fin, err, want)
	}
	if _, err := c.ListParts(ctx, up.UploadID); ufile.KindOf(err) != ufile.KindUploadGone {
		t.Errorf("ListParts after Finish: %v", err)
	}
	// Public read, with ETag and ranges, like the demo objects.
	resp, body := fetch(t, http.MethodGet, c.ObjectURL("dir/x y.qcow2"), http.Header{"Range": {"bytes=16-31"}})
	if resp.StatusCode != http.StatusPartialContent || string(body) != "0123456789abcdef" || ufile.StripETag(resp.Header.Get("ETag")) != want {
		t.Errorf("GET: %d %q %s", resp.StatusCode, body, resp.Header.Get("ETag"))
	}
	if info, err := c.Head(ctx, "dir/x y.qcow2"); err != nil || info.Size != int64(len(data)) || info.ETag != want {
		t.Errorf("Head = %+v, %v", info, err)
	}
	if path, etag, ok := s.UploadedObject("b", "dir/x y.qcow2"); !ok || etag != want || !strings.HasPrefix(path, os.TempDir()) {
		t.Errorf("UploadedObject = %s %s %v", path, etag, ok)
	}
	if got := s.PartsStored(up.UploadID); len(got) != 6 || got[0] != 1 {
		t.Errorf("PartsStored = %v", got)
	}
	if s.PendingUploads() != 0 {
		t.Error("finished upload still pending")
	}
}

func sha1Of(b []byte) [20]byte {
	var s [20]byte
	copy(s[:], hashSHA1(b))
	return s
}

func TestUploadRules(t *testing.T) {
	const blk = 64 << 10
	_, c := objClient(t, Options{Uploads: UploadOptions{BlkSize: blk, LongPartETags: true}}, "b")
	ctx := context.Background()
	up, _ := c.InitiateMultipartUpload(ctx, "k")
	if _, err := c.UploadPart(ctx, "k", up.UploadID, 0, bytes.NewReader(make([]byte, blk+1)), blk+1); ufile.KindOf(err) != ufile.KindUploadGone {
		t.Errorf("oversized part: %v", err) // a 4xx naming the upload
	}
	e0, _ := c.UploadPart(ctx, "k", up.UploadID, 0, bytes.NewReader(make([]byte, 10)), 10)
	e1, _ := c.UploadPart(ctx, "k", up.UploadID, 1, bytes.NewReader(make([]byte, 10)), 10)
	if len(e0) != 32 || !strings.HasPrefix(e0, "AQAAA") {
		t.Errorf("long part ETag %q", e0)
	}
	if _, err := c.FinishMultipartUpload(ctx, "k", up.UploadID, []string{e0, e1}); err == nil {
		t.Error("Finish accepted a short non-last part")
	}
	if _, err := c.UploadPart(ctx, "k", "no-such-id", 0, strings.NewReader("x"), 1); ufile.KindOf(err) != ufile.KindUploadGone {
		t.Errorf("unknown upload id: %v", err)
	}
	if err := c.AbortMultipartUpload(ctx, "k", up.UploadID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListParts(ctx, up.UploadID); ufile.KindOf(err) != ufile.KindUploadGone {
		t.Errorf("ListParts after Abort: %v", err)
	}
}

func TestUploadAuthAndBuckets(t *testing.T) {
	s, c := objClient(t, Options{}, "b")
	ctx := context.Background()
	good := c.Keys
	c.Keys.PrivateKey = "wrong"
	_, err := c.PutFile(ctx, "k", strings.NewReader("x"), 1)
	var e *ufile.Error
	if !errors.As(err, &e) || e.Kind != ufile.KindAuth || e.RetCode != -148658 || e.SessionID == "" {
		t.Errorf("wrong key: %v", err)
	}
	s.AddAccount("TOKEN_x", "tok-secret") // a bucket token works like a key
	c.Keys = apiclient.Keys{PublicKey: "TOKEN_x", PrivateKey: "tok-secret"}
	if _, err := c.PutFile(ctx, "k", strings.NewReader("x"), 1); err != nil {
		t.Errorf("token: %v", err)
	}
	c.Keys = good
	mc := *c
	mc.Bucket = DemoMissingBucket
	mc.Endpoint, _ = url.Parse(UFileEndpoint(s.URL(), DemoMissingBucket))
	if _, err := mc.InitiateMultipartUpload(ctx, "k"); ufile.KindOf(err) != ufile.KindNoBucket {
		t.Errorf("missing bucket: %v", err)
	}
	// The private bucket's uploads need a signature to read.
	pc := *c
	pc.Bucket = DemoPrivateBucket
	pc.Endpoint, _ = url.Parse(UFileEndpoint(s.URL(), DemoPrivateBucket))
	if _, err := pc.PutFile(ctx, "p", strings.NewReader("secret"), 6); err != nil {
		t.Fatal(err)
	}
	if resp, _ := fetch(t, http.MethodGet, pc.ObjectURL("p"), nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned private read: %d", resp.StatusCode)
	}
	if info, err := pc.Head(ctx, "p"); err != nil || info.Size != 6 {
		t.Errorf("signed private HEAD: %+v, %v", info, err)
	}
	// Uploaded objects can be deleted; demo objects stay as they were.
	req, _ := http.NewRequest(http.MethodDelete, pc.ObjectURL("p"), nil)
	ufile.SignRequest(req, good, DemoPrivateBucket, "p")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE: %v %v", resp, err)
	}
	if _, err := pc.Head(ctx, "p"); ufile.KindOf(err) != ufile.KindNotFound {
		t.Errorf("after DELETE: %v", err)
	}
}

func TestUploadFaults(t *testing.T) {
	s, c := objClient(t, Options{Uploads: UploadOptions{BlkSize: 1 << 20}}, "b")
	ctx := context.Background()
	up, _ := c.InitiateMultipartUpload(ctx, "k")
	part := bytes.Repeat([]byte{7}, 1<<20)
	send := func(n int) (string, error) {
		return c.UploadPart(ctx, "k", up.UploadID, n, bytes.NewReader(part), int64(len(part)))
	}
	s.SetUploadFault(UploadFault{Op: OpPart, Parts: []int{0}, Status: 500, Times: 2})
	s.SetUploadFault(UploadFault{Op: OpPart, Parts: []int{1}, Cut: true, Times: 1})
	s.SetUploadFault(UploadFault{Op: OpPart, Parts: []int{2}, Corrupt: true, Times: 1})
	s.SetUploadFault(UploadFault{Op: OpPart, Parts: []int{3}, BytesPerSecond: 8 << 20, Times: 1})
	for i := 0; i < 2; i++ {
		if _, err := send(0); ufile.KindOf(err) != ufile.KindTransient {
			t.Errorf("500 fault: %v", err)
		}
	}
	if _, err := send(0); err != nil {
		t.Errorf("after Times: %v", err)
	}
	if _, err := send(1); ufile.KindOf(err) != ufile.KindTransient {
		t.Errorf("cut: %v", err)
	}
	if etag, err := send(2); err != nil || ufile.CheckPartETag(etag, sha1Of(part)) != ufile.PartMismatch {
		t.Errorf("corrupt: %q %v", etag, err)
	}
	if _, err := send(3); err != nil {
		t.Errorf("slow: %v", err)
	}
	stored := s.PartsStored(up.UploadID)
	if stored[0] != 1 || stored[1] != 0 || stored[2] != 1 || stored[3] != 1 {
		t.Errorf("PartsStored = %v", stored)
	}
	var ops []string
	for _, r := range s.UploadRequests() {
		ops = append(ops, r.Op+":"+itoa(r.Status))
	}
	if got := strings.Join(ops, " "); got != "InitiateMultipartUpload:200 UploadPart:500 UploadPart:500 UploadPart:200 UploadPart:0 UploadPart:200 UploadPart:200" {
		t.Errorf("log %s", got)
	}
	if s.MaxPartsInFlight() != 1 || s.PartsInFlight() != 0 {
		t.Errorf("in flight: max %d now %d", s.MaxPartsInFlight(), s.PartsInFlight())
	}
	s.ClearUploadFaults()
	// Finish's answer lost: the object exists all the same.
	s.SetUploadFault(UploadFault{Op: OpFinish, Cut: true})
	if _, err := send(1); err != nil {
		t.Fatal(err)
	}
	var etags []string
	parts, _ := c.ListParts(ctx, up.UploadID)
	for _, p := range parts {
		etags = append(etags, p.ETag)
	}
	if _, err := c.FinishMultipartUpload(ctx, "k", up.UploadID, etags); ufile.KindOf(err) != ufile.KindTransient {
		t.Errorf("Finish cut: %v", err)
	}
	if _, _, ok := s.UploadedObject("b", "k"); !ok {
		t.Error("the cut Finish was not performed")
	}
}

// Close removes the temporary directory holding parts and objects.
func TestUploadDirRemoved(t *testing.T) {
	s, c := objClient(t, Options{}, "b")
	if _, err := c.PutFile(context.Background(), "k", strings.NewReader("abc"), 3); err != nil {
		t.Fatal(err)
	}
	path, etag, _ := s.UploadedObject("b", "k")
	if etag != "AQAAAKmZPjZHBoFquj4lcXhQwmyc0Nid" { // docs/UFILE.md vector (i)
		t.Errorf("ETag %s", etag)
	}
	s.Close()
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left behind: %v", filepath.Dir(path), err)
	}
}

func TestWriteSampleImage(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.qcow2"), filepath.Join(dir, "b.qcow2")
	if err := WriteSampleImage(a, 20<<20); err != nil {
		t.Fatal(err)
	}
	WriteSampleImage(b, 20<<20)
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if len(da) != 20<<20 || !bytes.Equal(da, db) {
		t.Fatal("sample not of the size asked, or not repeatable")
	}
	if r := imageformat.Sniff(da[:imageformat.HeadSize], da[len(da)-512:], int64(len(da))); r.Format != imageformat.QCOW2 {
		t.Errorf("sample sniffed as %+v", r)
	}
	if bytes.Count(da, []byte{0}) < len(da)/8 || bytes.Count(da, []byte{0}) > len(da)*3/4 {
		t.Error("sample is not a mix of data and zeros")
	}
	if WriteSampleImage(filepath.Join(dir, "c"), 10) == nil {
		t.Error("a tiny sample was written")
	}
}

func hashSHA1(b []byte) []byte { h := sha1.Sum(b); return h[:] }

// With BlkSize a multiple of 4 MiB, Finish takes the ETag from the hashes
// taken as the parts arrived and keeps the part files as the object: reads
// across part boundaries, ranges and UploadedObject see the same bytes.
func TestUploadFinishFromPartHashes(t *testing.T) {
	for _, blk := range []int64{DefaultBlkSize, 2 * DefaultBlkSize} {
		s, c := objClient(t, Options{Uploads: UploadOptions{BlkSize: blk}}, "b")
		ctx := context.Background()
		data := make([]byte, 2*blk+ufile.ETagBlockSize+100)
		for i := range data {
			data[i] = byte(i*7 + i>>13)
		}
		up, err := c.InitiateMultipartUpload(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		var etags []string
		for n := int64(0); n*blk < int64(len(data)); n++ {
			part := data[n*blk : min((n+1)*blk, int64(len(data)))]
			etag, err := c.UploadPart(ctx, "k", up.UploadID, int(n), bytes.NewReader(part), int64(len(part)))
			if err != nil {
				t.Fatal(err)
			}
			etags = append(etags, etag)
		}
		fin, err := c.FinishMultipartUpload(ctx, "k", up.UploadID, etags)
		want, _ := ufile.ETag(bytes.NewReader(data))
		if err != nil || fin.ETag != want || fin.Size != int64(len(data)) {
			t.Fatalf("blk %d: Finish = %+v, %v; want ETag %s", blk, fin, err, want)
		}
		resp, body := fetch(t, http.MethodGet, c.ObjectURL("k"), nil)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) || ufile.StripETag(resp.Header.Get("ETag")) != want {
			t.Errorf("blk %d: GET: %d, %d bytes, equal %v", blk, resp.StatusCode, len(body), bytes.Equal(body, data))
		}
		from := blk - 10 // across the first part boundary
		resp, body = fetch(t, http.MethodGet, c.ObjectURL("k"), http.Header{"Range": {"bytes=" + itoa(int(from)) + "-" + itoa(int(from+19))}})
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[from:from+20]) {
			t.Errorf("blk %d: ranged GET: %d %x", blk, resp.StatusCode, body)
		}
		path, etag, ok := s.UploadedObject("b", "k")
		got, err := os.ReadFile(path)
		if !ok || etag != want || err != nil || !bytes.Equal(got, data) {
			t.Errorf("blk %d: UploadedObject = %s %s %v, %v", blk, path, etag, ok, err)
		}
	}
}
