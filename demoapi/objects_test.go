package demoapi

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/ufile"
)

func startObjects(t *testing.T) string {
	t.Helper()
	s := New(Options{})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return base
}

func fetch(t *testing.T, method, u string, h http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestDemoObjectURL(t *testing.T) {
	want := []string{"qcow2", "VMDK", "VHD", "RAW", "VHDX", "gzip"}
	if got := DemoObjects(); !slices.Equal(got, want) {
		t.Errorf("DemoObjects = %q, want %q", got, want)
	}
	u := DemoObjectURL("http://127.0.0.1:8080/", "QCOW2")
	if u != "http://127.0.0.1:8080/ufile/demo-bucket/images/ubuntu-22.04.qcow2" {
		t.Errorf("DemoObjectURL = %q", u)
	}
	if u := DemoObjectURL("http://x", "VHDX"); !strings.HasSuffix(u, ".vhdx") {
		t.Errorf("DemoObjectURL(VHDX) = %q", u)
	}
	if u := DemoObjectURL("http://x", "vdi"); u != "" {
		t.Errorf("DemoObjectURL(vdi) = %q", u)
	}
}

// Every demo object is small and is recognised as the format it stands
// for, with no warnings for the importable ones.
func TestDemoObjectsSniff(t *testing.T) {
	base := startObjects(t)
	for _, format := range DemoObjects() {
		resp, b := fetch(t, http.MethodGet, DemoObjectURL(base, format), nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", format, resp.StatusCode)
		}
		if len(b) > 400<<10 {
			t.Errorf("%s: %d bytes, want a few hundred KB at most", format, len(b))
		}
		r := imageformat.Sniff(b[:min(len(b), imageformat.HeadSize)], b[max(0, len(b)-imageformat.TailSize):], int64(len(b)))
		if r.Format != format {
			t.Errorf("%s: sniffed as %s", format, r.Summary())
		}
		if r.Accepted != imageformat.Importable(format) {
			t.Errorf("%s: Accepted = %v", format, r.Accepted)
		}
		if r.Accepted && len(r.Warnings) > 0 {
			t.Errorf("%s: warnings %q", format, r.Warnings)
		}
		if etag, _ := ufile.ETag(bytes.NewReader(b)); resp.Header.Get("ETag") != `"`+etag+`"` {
			t.Errorf("%s: ETag %q, want %q", format, resp.Header.Get("ETag"), etag)
		}
	}
}

// The stream-optimized VMDK keeps its real header at the end, where readers
// look for it when the first header says "grain directory at end".
func TestDemoVMDKFooter(t *testing.T) {
	b := demoVMDK()
	if len(b)%512 != 0 {
		t.Fatalf("length %d is not whole sectors", len(b))
	}
	marker, footer, eos := b[len(b)-1536:], b[len(b)-1024:], b[len(b)-512:]
	if binary.LittleEndian.Uint32(marker[12:]) != 3 || !bytes.HasPrefix(footer, []byte("KDMV")) || !bytes.Equal(eos, make([]byte, 512)) {
		t.Fatal("footer marker, footer or end-of-stream marker misplaced")
	}
	gd := binary.LittleEndian.Uint64(footer[56:])
	if binary.LittleEndian.Uint32(b[(gd-1)*512+12:]) != 2 {
		t.Errorf("footer's gdOffset %d does not follow a GD marker", gd)
	}
	if binary.LittleEndian.Uint64(b[56:]) != ^uint64(0) {
		t.Error("first header should say GD_AT_END")
	}
}

func TestDemoQCOW2Layout(t *testing.T) {
	b := demoQCOW2()
	be := binary.BigEndian
	l1Size, l1Off, rtOff := be.Uint32(b[36:]), be.Uint64(b[40:]), be.Uint64(b[48:])
	if l1Size != 40 || l1Off+uint64(l1Size)*8 > uint64(len(b)) {
		t.Errorf("L1 %d entries at %d in %d bytes", l1Size, l1Off, len(b))
	}
	rb := be.Uint64(b[rtOff:])
	for i := range uint64(len(b)) / (64 << 10) {
		if be.Uint16(b[rb+2*i:]) != 1 {
			t.Errorf("cluster %d has no refcount", i)
		}
	}
}

func TestDemoObjectRanges(t *testing.T) {
	base := startObjects(t)
	u := DemoObjectURL(base, "VHD")
	full := demoVHD()
	size := len(full)

	resp, b := fetch(t, http.MethodGet, u, http.Header{"Range": {"bytes=0-65535"}})
	if resp.StatusCode != http.StatusPartialContent || len(b) != 65536 || resp.Header.Get("Content-Range") != "bytes 0-65535/"+strconv.Itoa(size) {
		t.Errorf("head range: HTTP %d, %d bytes, Content-Range %q", resp.StatusCode, len(b), resp.Header.Get("Content-Range"))
	}
	resp, b = fetch(t, http.MethodGet, u, http.Header{"Range": {"bytes=-512"}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(b, full[size-512:]) || !bytes.HasPrefix(b, []byte("conectix")) {
		t.Errorf("suffix range: HTTP %d, %d bytes", resp.StatusCode, len(b))
	}
	resp, b = fetch(t, http.MethodHead, u, nil)
	if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(size) || len(b) != 0 {
		t.Errorf("HEAD: HTTP %d, length %d, %d body bytes", resp.StatusCode, resp.ContentLength, len(b))
	}
	resp, _ = fetch(t, http.MethodGet, u, http.Header{"Range": {"bytes=999999999-"}})
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range beyond the end: HTTP %d", resp.StatusCode)
	}
	resp, _ = fetch(t, http.MethodGet, u, http.Header{"If-Modified-Since": {objectModTime.Format(http.TimeFormat)}})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: HTTP %d", resp.StatusCode)
	}
}

func TestDemoObjectErrors(t *testing.T) {
	base := startObjects(t)
	tests := []struct {
		name, method, path string
		status, retCode    int
	}{
		{"missing key", "GET", "/ufile/demo-bucket/images/nope.qcow2", 404, 0},
		{"missing key, HEAD", "HEAD", "/ufile/demo-bucket/images/nope.qcow2", 404, 0},
		{"unknown bucket", "GET", "/ufile/other-bucket/images/ubuntu-22.04.qcow2", 404, -30010},
		{"no bucket", "GET", "/ufile/", 404, -30010},
		{"PUT", "PUT", "/ufile/demo-bucket/images/ubuntu-22.04.qcow2", 405, 0},
		{"private, unsigned", "GET", "/ufile/demo-private/images/ubuntu-22.04.qcow2", 403, -148658},
	}
	for _, tc := range tests {
		resp, b := fetch(t, tc.method, base+tc.path, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: HTTP %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
		if tc.retCode != 0 {
			var e struct{ RetCode int }
			if json.Unmarshal(b, &e); e.RetCode != tc.retCode {
				t.Errorf("%s: body %q, want RetCode %d", tc.name, b, tc.retCode)
			}
		}
	}
}

func TestDemoPrivateBucket(t *testing.T) {
	base := startObjects(t)
	const key = "images/debian-12.raw"
	u := base + "/ufile/" + DemoPrivateBucket + "/" + key
	demoKeys := apiclient.Keys{PublicKey: PublicKey, PrivateKey: PrivateKey}
	signed := func(keys apiclient.Keys, method string) http.Header {
		req, _ := http.NewRequest(method, u, nil)
		ufile.SignRequest(req, keys, DemoPrivateBucket, key)
		return req.Header
	}
	presigned := func(keys apiclient.Keys, expires time.Time) string {
		s, err := ufile.Presign(u, "GET", keys, DemoPrivateBucket, key, expires)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	soon := time.Now().Add(time.Hour)
	wrong := apiclient.Keys{PublicKey: PublicKey, PrivateKey: "not-the-key"}
	tests := []struct {
		name, method, url string
		header            http.Header
		want              int
	}{
		{"signed GET", "GET", u, signed(demoKeys, "GET"), 200},
		{"signed HEAD", "HEAD", u, signed(demoKeys, "HEAD"), 200},
		{"GET signature used for HEAD", "HEAD", u, signed(demoKeys, "GET"), 403},
		{"wrong private key", "GET", u, signed(wrong, "GET"), 403},
		{"unknown public key", "GET", u, signed(apiclient.Keys{PublicKey: "nobody", PrivateKey: PrivateKey}, "GET"), 403},
		{"malformed header", "GET", u, http.Header{"Authorization": {"Bearer x"}}, 403},
		{"pre-signed", "GET", presigned(demoKeys, soon), nil, 200},
		{"pre-signed, expired", "GET", presigned(demoKeys, time.Now().Add(-time.Minute)), nil, 403},
		{"pre-signed, wrong key", "GET", presigned(wrong, soon), nil, 403},
		{"pre-signed and header", "GET", presigned(demoKeys, soon), signed(demoKeys, "GET"), 403},
	}
	for _, tc := range tests {
		if resp, _ := fetch(t, tc.method, tc.url, tc.header); resp.StatusCode != tc.want {
			t.Errorf("%s: HTTP %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
	}
}

// Object requests are not API actions: they are not recorded, and the API
// still answers beside them.
func TestObjectsDoNotDisturbAPI(t *testing.T) {
	s := newServer(t, Options{})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := fetch(t, "GET", DemoObjectURL(base, "RAW"), nil); resp.StatusCode != 200 {
		t.Fatalf("object: HTTP %d", resp.StatusCode)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d API requests recorded for an object read", n)
	}
	if call(t, s, apiclient.Params{"Action": "GetRegion"}).retCode(t) != 0 {
		t.Error("API broken")
	}
}
