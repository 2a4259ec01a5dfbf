package preflight

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/ufile"
)

const objURL = "http://mybucket.cn-bj.ufileos.com/images/centos%207.qcow2"

var keys = &apiclient.Keys{PublicKey: "TOKEN_test", PrivateKey: "test-private-key"}

func codes(ps []Problem) []Code {
	var out []Code
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func hasProblem(r Report, s Severity, c Code, text string) bool {
	for _, p := range r.Problems {
		if p.Severity == s && p.Code == c && strings.Contains(p.Message, text) {
			return true
		}
	}
	return false
}

func TestCheckQCOW2Ranges(t *testing.T) {
	data := qcow2(20*gib, 0)
	o := &objectServer{data: data}
	r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", HTTPClient: start(t, o)})
	if !r.Reachable || r.Status != 206 || r.Size != int64(len(data)) || r.Sniff.Format != "qcow2" || len(r.Problems) != 0 {
		t.Fatalf("report %+v", r)
	}
	got := o.seen()
	if len(got) != 2 || got[0].rng != "bytes=0-65535" || got[1].rng != "bytes=204288-204799" {
		t.Errorf("requests %+v", got)
	}
	if got[0].auth != "" || got[0].path != "/images/centos 7.qcow2" {
		t.Errorf("first request %+v", got[0])
	}
	if r.Sniff.Details[0] != "qcow2 v3, virtual size 20 GiB" {
		t.Errorf("Details %q", r.Sniff.Details)
	}
}

func TestCheckFormatMismatch(t *testing.T) {
	o := &objectServer{data: qcow2(gib, 0)}
	r := Check(context.Background(), Options{URL: objURL, Declared: "VMDK", HTTPClient: start(t, o)})
	b := r.Blocking()
	if len(b) != 1 || b[0].Code != CodeFormatMismatch || b[0].Message != "the object is qcow2 but the format given is VMDK" ||
		!strings.Contains(b[0].Fix, "--format qcow2") {
		t.Errorf("blocking %+v", b)
	}
}

// A fixed VHD is only recognisable by the footer in its last 512 bytes.
func TestCheckVHDFooterAtEnd(t *testing.T) {
	data := fixedVHD(300 << 10)
	for _, tc := range []struct {
		declared string
		blocking []Code
	}{{"VHD", nil}, {"RAW", []Code{CodeFormatMismatch}}} {
		o := &objectServer{data: data}
		r := Check(context.Background(), Options{URL: objURL, Declared: tc.declared, HTTPClient: start(t, o)})
		if r.Sniff.Format != "VHD" || !r.Sniff.EndChecked {
			t.Fatalf("sniffed %+v", r.Sniff)
		}
		if got := codes(r.Blocking()); len(got) != len(tc.blocking) || (len(got) > 0 && got[0] != tc.blocking[0]) {
			t.Errorf("declared %s: blocking %v, want %v", tc.declared, got, tc.blocking)
		}
		if s := o.seen(); len(s) != 2 || s[1].rng != "bytes=307200-307711" {
			t.Errorf("requests %+v", s)
		}
	}
}

// A server that ignores Range starts sending everything: only HeadSize
// bytes are read, the connection is dropped, and no tail is asked for.
func TestCheckServerIgnoresRange(t *testing.T) {
	data := make([]byte, 64<<20)
	copy(data, qcow2(gib, 0)[:4096])
	o := &objectServer{data: data, ignoreRange: true}
	r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", HTTPClient: start(t, o)})
	if r.Status != 200 || r.Size != int64(len(data)) || r.Sniff.Format != "qcow2" || len(r.Problems) != 0 {
		t.Fatalf("report %+v", r)
	}
	if n := len(o.seen()); n != 1 {
		t.Errorf("%d requests; the tail must not be asked of a server that ignores Range", n)
	}
	time.Sleep(50 * time.Millisecond) // let the handler see the closed connection
	o.mu.Lock()
	written := o.written
	o.mu.Unlock()
	if written > 32<<20 {
		t.Errorf("server sent %d bytes: the whole object was read", written)
	}
}

// Without a total in Content-Range, the size comes from the tail answer.
func TestCheckUnknownTotal(t *testing.T) {
	data := fixedVHD(128 << 10)
	o := &objectServer{data: data, hideTotal: true}
	r := Check(context.Background(), Options{URL: objURL, Declared: "VHD", HTTPClient: start(t, o)})
	if r.Size != int64(len(data)) || r.Sniff.Format != "VHD" || len(r.Problems) != 0 {
		t.Fatalf("report %+v", r)
	}
	if s := o.seen(); len(s) != 2 || s[1].rng != "bytes=-512" {
		t.Errorf("requests %+v", s)
	}
}

func TestCheckSmallObject(t *testing.T) {
	data := fixedVHD(8 << 10) // smaller than HeadSize: one request holds it all
	o := &objectServer{data: data}
	r := Check(context.Background(), Options{URL: objURL, Declared: "VHD", HTTPClient: start(t, o)})
	if r.Sniff.Format != "VHD" || len(o.seen()) != 1 || len(r.Problems) != 0 {
		t.Errorf("report %+v, %d requests", r, len(o.seen()))
	}
}

func TestCheckEmptyObject(t *testing.T) {
	// net/http answers 200 for an empty object; others answer 416.
	for _, o := range []*objectServer{{data: []byte{}}, {status: 416}} {
		r := Check(context.Background(), Options{URL: objURL, Declared: "RAW", HTTPClient: start(t, o)})
		if r.Size != 0 || !hasProblem(r, Blocking, CodeNotImportable, "empty") {
			t.Errorf("report %+v", r)
		}
	}
}

func TestCheckNotImportable(t *testing.T) {
	vhdx := make([]byte, 100<<10)
	copy(vhdx, "vhdxfile")
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"VHDX":      {vhdx, "VHDX is not accepted"},
		"encrypted": {qcow2(gib, 2), "encrypted (LUKS)"},
		"gzip":      {[]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "gzip data is not accepted"},
	} {
		o := &objectServer{data: tc.data}
		r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", HTTPClient: start(t, o)})
		b := r.Blocking()
		if len(b) != 1 || b[0].Code != CodeNotImportable || !strings.Contains(b[0].Message, tc.want) || b[0].Fix == "" {
			t.Errorf("%s: blocking %+v", name, b)
		}
	}
}

func TestCheckImageWarnings(t *testing.T) {
	gpt := mbrDisk(1 << 20)
	gpt[446+4] = 0xee
	copy(gpt[512:], "EFI PART")
	o := &objectServer{data: gpt}
	r := Check(context.Background(), Options{URL: objURL, Declared: "RAW", HTTPClient: start(t, o)})
	if len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeImage, "GPT") || r.Warnings()[0].Fix == "" {
		t.Errorf("report %+v", r)
	}

	o = &objectServer{data: qcow2(200*gib, 0)}
	r = Check(context.Background(), Options{URL: objURL, Declared: "qcow2", HTTPClient: start(t, o)})
	if len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeLargeDisk, "200 GiB") {
		t.Errorf("report %+v", r)
	}
}

// An object in a private bucket: refused unsigned, read when signed with
// the keys — and then the bare URL is the problem.
func TestCheckSignedPrivateBucket(t *testing.T) {
	o := &objectServer{data: qcow2(gib, 0), keys: keys}
	r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", Keys: keys, HTTPClient: start(t, o)})
	if !r.Signed || r.Sniff.Format != "qcow2" || r.Size != 200<<10 {
		t.Fatalf("report %+v", r)
	}
	if b := r.Blocking(); len(b) != 1 || b[0].Code != CodePrivateBucket {
		t.Errorf("blocking %+v", b)
	}
	s := o.seen()
	if len(s) != 3 || s[0].auth != "" || !s[1].signatureOK || !s[2].signatureOK {
		t.Fatalf("requests %+v", s)
	}
	// The signature is docs/UFILE.md's: GET, empty MD5/type/date, raw key.
	want := ufile.Authorization(keys.PublicKey, ufile.Sign(keys.PrivateKey, "GET", "", "", "", "mybucket", "images/centos 7.qcow2"))
	if s[1].auth != want {
		t.Errorf("Authorization %q, want %q", s[1].auth, want)
	}
}

func TestCheckRefused(t *testing.T) {
	wrong := &apiclient.Keys{PublicKey: keys.PublicKey, PrivateKey: "wrong"}
	tests := []struct {
		name   string
		url    string
		keys   *apiclient.Keys
		text   string
		signed bool
	}{
		{"no keys", objURL, nil, "refused an unsigned read (HTTP 403: invalid signature)", false},
		{"wrong keys", objURL, wrong, "refused a read signed with your keys", true},
		{"keys, not a UFile host", "http://files.example.com/disk.qcow2", keys, "refused an unsigned read", false},
		{"pre-signed URL", objURL + "?UCloudPublicKey=x&Signature=y&Expires=" + strings.Repeat("9", 10), keys, "refused the pre-signed URL", false},
	}
	for _, tc := range tests {
		o := &objectServer{data: qcow2(gib, 0), keys: keys}
		r := Check(context.Background(), Options{URL: tc.url, Declared: "qcow2", Keys: tc.keys, HTTPClient: start(t, o)})
		if !r.Reachable || r.Status != 403 || r.Signed != tc.signed || len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeRefused, tc.text) {
			t.Errorf("%s: report %+v", tc.name, r)
		}
		for _, s := range o.seen() {
			if s.auth != "" && !tc.signed {
				t.Errorf("%s: sent Authorization %q", tc.name, s.auth)
			}
		}
	}
}

// A pre-signed URL is sent as is, never with an Authorization header too.
func TestCheckPresignedNotSigned(t *testing.T) {
	o := &objectServer{data: qcow2(gib, 0)}
	u := ufile.PresignGET(*keys, "http", "mybucket", "cn-bj.ufileos.com", "images/centos 7.qcow2", time.Now().Add(24*time.Hour))
	r := Check(context.Background(), Options{URL: u, Declared: "qcow2", Keys: keys, HTTPClient: start(t, o)})
	if r.Signed || len(r.Problems) != 0 || r.Sniff.Format != "qcow2" {
		t.Errorf("report %+v", r)
	}
	for _, s := range o.seen() {
		if s.auth != "" {
			t.Errorf("Authorization sent with a pre-signed URL: %q", s.auth)
		}
	}
}

func TestCheckURLExpiry(t *testing.T) {
	expired := ufile.PresignGET(*keys, "https", "b", "cn-bj.ufileos.com", "k.qcow2", time.Now().Add(-time.Hour))
	r := Check(context.Background(), Options{URL: expired, HTTPClient: refusingClient(t)})
	if r.Reachable || !hasProblem(r, Blocking, CodeURLExpiry, "expired at") {
		t.Errorf("expired: report %+v", r)
	}
	soon := ufile.PresignGET(*keys, "https", "b", "cn-bj.ufileos.com", "k.qcow2", time.Now().Add(10*time.Minute))
	o := &objectServer{data: qcow2(gib, 0)}
	r = Check(context.Background(), Options{URL: soon, Declared: "qcow2", HTTPClient: start(t, o)})
	if len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeURLExpiry, "expires in 10m") {
		t.Errorf("soon: report %+v", r)
	}
}

func TestCheckNotFound(t *testing.T) {
	for name, tc := range map[string]struct {
		body, want string
	}{
		"no key":    {"", "no object at that key (HTTP 404)"},
		"no bucket": {`{"RetCode":-30010,"ErrMsg":"bucket not exist"}`, `no bucket "mybucket"`},
	} {
		o := &objectServer{status: 404, body: tc.body}
		r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", Keys: keys, HTTPClient: start(t, o)})
		if !r.Reachable || !hasProblem(r, Blocking, CodeNotFound, tc.want) || len(r.Problems) != 1 {
			t.Errorf("%s: report %+v", name, r)
		}
	}
}

func TestCheckOtherStatuses(t *testing.T) {
	for _, status := range []int{500, 502, 503, 400, 405} {
		o := &objectServer{status: status, body: "<html>oops</html>"}
		r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", HTTPClient: start(t, o)})
		if !r.Reachable || r.Status != status || len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeHTTPStatus, "HTTP "+strconv.Itoa(status)) {
			t.Errorf("HTTP %d: report %+v", status, r)
		}
	}
}

func TestCheckSlowServer(t *testing.T) {
	o := &objectServer{data: qcow2(gib, 0), delay: 10 * time.Second}
	begin := time.Now()
	r := Check(context.Background(), Options{URL: objURL, Declared: "qcow2", HTTPClient: start(t, o), Timeout: 200 * time.Millisecond})
	if took := time.Since(begin); took > 3*time.Second {
		t.Errorf("took %s", took)
	}
	if r.Reachable || r.Size != -1 || len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeUnreachable, "no answer within 200ms") {
		t.Errorf("report %+v", r)
	}
}

func TestCheckUnreachable(t *testing.T) {
	signedURL := ufile.PresignGET(*keys, "http", "mybucket", "internal-cn-sh2-01.ufileos.com", "disk.qcow2", time.Now().Add(24*time.Hour))
	r := Check(context.Background(), Options{URL: signedURL, Declared: "qcow2", HTTPClient: refusingClient(t)})
	if r.Reachable || len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeUnreachable, "connection refused") ||
		!hasProblem(r, Warning, CodeUnreachable, "internal host") {
		t.Errorf("refused: report %+v", r)
	}
	for _, p := range r.Problems {
		if strings.Contains(p.Message, "Signature") || strings.Contains(p.Message, "UCloudPublicKey") {
			t.Errorf("message leaks the signed URL: %q", p.Message)
		}
	}

	// The resolver's answer is simulated: tests never ask the real DNS.
	noDNS := &http.Client{Transport: &http.Transport{Proxy: nil, DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}}
	r = Check(context.Background(), Options{URL: "https://no-such-host.invalid/disk.qcow2", Declared: "qcow2", Timeout: 2 * time.Second, HTTPClient: noDNS})
	if r.Reachable || len(r.Blocking()) != 0 || !hasProblem(r, Warning, CodeUnreachable, "could not reach no-such-host.invalid") {
		t.Errorf("DNS: report %+v", r)
	}
}

func TestCheckCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := &objectServer{data: qcow2(gib, 0)}
	r := Check(ctx, Options{URL: objURL, HTTPClient: start(t, o)})
	if r.Reachable || !hasProblem(r, Warning, CodeNotChecked, "cancelled") {
		t.Errorf("report %+v", r)
	}
}

func TestCheckBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://x/y", "::", "https:///k"} {
		r := Check(context.Background(), Options{URL: u})
		if !hasProblem(r, Warning, CodeNotChecked, "not a valid") || r.Size != -1 {
			t.Errorf("%q: report %+v", u, r)
		}
	}
}

func TestContentRange(t *testing.T) {
	tests := []struct {
		in                string
		start, end, total int64
		ok                bool
	}{
		{"bytes 0-65535/123456", 0, 65535, 123456, true},
		{"bytes 100-199/*", 100, 199, -1, true},
		{"bytes */0", -1, -1, 0, true},
		{"bytes */*", 0, 0, 0, false},
		{"bytes 0-10/5", 0, 0, 0, false},
		{"bytes 5-1/10", 0, 0, 0, false},
		{"bytes -1-5/10", 0, 0, 0, false},
		{"items 0-1/2", 0, 0, 0, false},
		{"bytes 0-1", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	}
	for _, tc := range tests {
		s, e, n, ok := contentRange(tc.in)
		if ok != tc.ok || (ok && (s != tc.start || e != tc.end || n != tc.total)) {
			t.Errorf("contentRange(%q) = %d %d %d %v", tc.in, s, e, n, ok)
		}
	}
}

func TestSeverityString(t *testing.T) {
	if Warning.String() != "warning" || Blocking.String() != "blocking" || Severity(0).String() != "unknown" {
		t.Error("Severity.String")
	}
}

// A 206 for bytes other than the first must not be sniffed as the header.
func TestCheckWrongRange(t *testing.T) {
	srv := &objectServer{status: 206, body: "QFI\xfb"}
	client := start(t, srv)
	r := Check(context.Background(), Options{URL: objURL, Declared: "RAW", HTTPClient: &http.Client{Transport: contentRangeSetter{client.Transport, "bytes 100-103/1000"}}})
	if r.Sniff.Format != "" || !hasProblem(r, Warning, CodeNotChecked, "different range") {
		t.Errorf("report %+v", r)
	}
}

// contentRangeSetter rewrites answers' Content-Range.
type contentRangeSetter struct {
	http.RoundTripper
	value string
}

func (c contentRangeSetter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.RoundTripper.RoundTrip(req)
	if err == nil {
		resp.Header.Set("Content-Range", c.value)
	}
	return resp, err
}

// With HTTPS_PROXY set to a dead port, the warning names the proxy, not
// the object's host or DNS.
func TestUnreachableProxyNamed(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	proxy, _ := url.Parse("http://" + dead)
	c := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}}
	r := Check(context.Background(), Options{URL: "https://mybucket.cn-bj.ufileos.com/img/x.qcow2", Declared: "qcow2", HTTPClient: c})
	if !hasProblem(r, Warning, CodeUnreachable, "the proxy "+dead+" (HTTPS_PROXY) failed: connection refused") {
		t.Errorf("problems %+v", r.Problems)
	}
}
