package ufile

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// seen is one request as the fake UFile received it.
type seen struct {
	method, path, rawPath, query string
	header                       http.Header
	body                         string
}

// fakeUFile answers each request with next(seen) and records it.
func fakeUFile(t *testing.T, next func(s seen, w http.ResponseWriter)) (*Client, *[]seen) {
	t.Helper()
	var mu sync.Mutex
	var log []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s := seen{r.Method, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(b)}
		mu.Lock()
		log = append(log, s)
		mu.Unlock()
		next(s, w)
	}))
	t.Cleanup(srv.Close)
	ep, _ := url.Parse(srv.URL + "/ufile/" + vecBucket)
	return &Client{Keys: vecKeys, Bucket: vecBucket, Endpoint: ep, UserAgent: "uimport-test"}, &log
}

// signedFor checks a request's headers: signed over /bucket/key with
// exactly the Content-Type sent, no Date, no X-UCloud-* header.
func signedFor(t *testing.T, s seen, key, contentType string) {
	t.Helper()
	want := Authorization(vecPub, Sign(vecPriv, s.method, "", contentType, "", vecBucket, key))
	if got := s.header.Get("Authorization"); got != want {
		t.Errorf("%s %s: Authorization %q, want %q", s.method, s.query, got, want)
	}
	if s.header.Get("Content-Type") != contentType || s.header.Get("Date") != "" || CanonicalHeaders(s.header) != "" {
		t.Errorf("%s %s: headers %v", s.method, s.query, s.header)
	}
	if s.header.Get("User-Agent") != "uimport-test" {
		t.Errorf("User-Agent %q", s.header.Get("User-Agent"))
	}
}

func TestMultipartRequestShapes(t *testing.T) {
	ctx := context.Background()
	c, log := fakeUFile(t, func(s seen, w http.ResponseWriter) {
		switch {
		case strings.HasPrefix(s.query, "uploads"):
			fmt.Fprint(w, `{"UploadId":"up 1","BlkSize":4194304,"Bucket":"demo-bucket","Key":"images/centos 7.qcow2"}`)
		case strings.Contains(s.query, "partNumber"):
			w.Header().Set("ETag", `"etag-`+s.body+`"`)
			fmt.Fprint(w, `{"PartNumber":0}`)
		case s.method == "POST":
			w.Header().Set("ETag", `"AgAAAB"`)
			fmt.Fprint(w, `{"Bucket":"demo-bucket","Key":"images/centos 7.qcow2","FileSize":"8388608"}`)
		case s.method == "HEAD":
			w.Header().Set("ETag", `"AgAAAB"`)
			w.Header().Set("Content-Length", "8388608")
		case s.method == "PUT":
			w.Header().Set("ETag", `"put"`)
		}
	})
	up, err := c.InitiateMultipartUpload(ctx, vecKey)
	if err != nil || up.UploadID != "up 1" || up.BlkSize != 4<<20 {
		t.Fatalf("Initiate = %+v, %v", up, err)
	}
	etag, err := c.UploadPart(ctx, vecKey, up.UploadID, 0, strings.NewReader("abc"), 3)
	if err != nil || etag != "etag-abc" {
		t.Fatalf("UploadPart = %q, %v", etag, err)
	}
	fin, err := c.FinishMultipartUpload(ctx, vecKey, up.UploadID, []string{"e0", "e1"})
	if err != nil || fin.ETag != "AgAAAB" || fin.Size != 8<<20 || fin.Key != vecKey {
		t.Fatalf("Finish = %+v, %v", fin, err)
	}
	if err := c.AbortMultipartUpload(ctx, vecKey, up.UploadID); err != nil {
		t.Fatal(err)
	}
	if etag, err := c.PutFile(ctx, vecKey, strings.NewReader(""), 0); err != nil || etag != "put" {
		t.Fatalf("PutFile = %q, %v", etag, err)
	}
	if info, err := c.Head(ctx, vecKey); err != nil || info.Size != 8<<20 || info.ETag != "AgAAAB" {
		t.Fatalf("Head = %+v, %v", info, err)
	}
	if err := c.Delete(ctx, vecKey); err != nil {
		t.Fatal(err)
	}

	l := *log
	const objPath = "/ufile/demo-bucket/images/centos%207.qcow2"
	for i, want := range []struct{ method, query, body, ct string }{
		{"POST", "uploads", "", octet},
		{"PUT", "uploadId=up+1&partNumber=0", "abc", octet},
		{"POST", "uploadId=up+1", "e0,e1", octet},
		{"DELETE", "uploadId=up+1", "", ""},
		{"PUT", "", "", octet},
		{"HEAD", "", "", ""},
		{"DELETE", "", "", ""},
	} {
		s := l[i]
		if s.method != want.method || s.rawPath != objPath || s.query != want.query || s.body != want.body {
			t.Errorf("request %d: %s %s?%s %q, want %+v", i, s.method, s.rawPath, s.query, s.body, want)
		}
		signedFor(t, s, vecKey, want.ct)
		if want.method != "HEAD" && want.method != "DELETE" && s.header.Get("Content-Length") != fmt.Sprint(len(want.body)) {
			t.Errorf("request %d: Content-Length %q", i, s.header.Get("Content-Length"))
		}
	}
}

// ListParts: no marker on the first page (parts start at 0), then the
// NextPartNumberMarker of each truncated page; signed with an empty key.
func TestListPartsPaging(t *testing.T) {
	pages := []string{
		`{"IsTruncated":true,"NextPartNumberMarker":1,"Parts":[{"PartNum":0,"Etag":"a","Size":4},{"PartNum":1,"Etag":"b","Size":4}]}`,
		`{"IsTruncated":true,"NextPartNumberMarker":"3","Parts":[{"PartNum":2,"Etag":"\"c\"","Size":"4"},{"PartNum":3,"Etag":"d","Size":4}]}`,
		`{"IsTruncated":false,"Parts":[{"PartNum":3,"Etag":"d2","Size":4},{"PartNum":5,"Etag":"f","Size":2}]}`,
	}
	n := 0
	c, log := fakeUFile(t, func(s seen, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/plain") // UFile's types are not to be trusted
		fmt.Fprint(w, pages[n])
		n++
	})
	parts, err := c.ListParts(context.Background(), "u/1")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(parts); got != "[{0 a 4} {1 b 4} {2 c 4} {3 d2 4} {5 f 2}]" {
		t.Errorf("parts %s", got)
	}
	for i, q := range []string{
		"muploadpart&uploadId=u%2F1&max-parts=1000",
		"muploadpart&uploadId=u%2F1&max-parts=1000&part-number-marker=1",
		"muploadpart&uploadId=u%2F1&max-parts=1000&part-number-marker=3",
	} {
		s := (*log)[i]
		if s.method != "GET" || s.rawPath != "/ufile/demo-bucket/" || s.query != q {
			t.Errorf("page %d: %s %s?%s", i, s.method, s.rawPath, s.query)
		}
		signedFor(t, s, "", "")
	}

	// A truncated page whose marker does not move would loop forever.
	n = 0
	pages = []string{`{"IsTruncated":true,"NextPartNumberMarker":0,"Parts":[{"PartNum":0}]}`,
		`{"IsTruncated":true,"NextPartNumberMarker":0,"Parts":[{"PartNum":0}]}`}
	if _, err := c.ListParts(context.Background(), "u"); KindOf(err) != KindBadAnswer {
		t.Errorf("stuck marker: %v", err)
	}
}

func TestMultipartBadAnswers(t *testing.T) {
	var body, etag string
	c, _ := fakeUFile(t, func(s seen, w http.ResponseWriter) {
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		fmt.Fprint(w, body)
	})
	ctx := context.Background()
	for _, b := range []string{"<html>portal</html>", `{"UploadId":"u"}`, `{"UploadId":"u","BlkSize":0}`, `{"BlkSize":4}`} {
		body = b
		if _, err := c.InitiateMultipartUpload(ctx, "k"); KindOf(err) != KindBadAnswer {
			t.Errorf("Initiate with %s: %v", b, err)
		}
	}
	body = `{"PartNumber":0}`
	if _, err := c.UploadPart(ctx, "k", "u", 0, strings.NewReader("x"), 1); KindOf(err) != KindBadAnswer {
		t.Errorf("UploadPart without ETag: %v", err)
	}
	body = "not json"
	if _, err := c.ListParts(ctx, "u"); KindOf(err) != KindBadAnswer {
		t.Errorf("ListParts: %v", err)
	}
	// Finish's JSON is optional: the ETag header is what matters.
	etag, body = `"E"`, ""
	if fin, err := c.FinishMultipartUpload(ctx, "k", "u", []string{"a"}); err != nil || fin.ETag != "E" || fin.Size != -1 {
		t.Errorf("Finish = %+v, %v", fin, err)
	}
}
