package ufile

import (
	"net/http"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// The docs/UFILE.md vectors: these keys and values match the official Go and
// Python SDKs' output.
const (
	vecPub    = "TOKEN_pub_example"
	vecPriv   = "priv_example_46f09bb9"
	vecBucket = "demo-bucket"
	vecKey    = "images/centos 7.qcow2"
	vecDate   = "Thu, 26 Nov 2026 10:00:00 GMT"
	vecMD5    = "900150983cd24fb0d6963f7d28e17f72" // MD5("abc"), lowercase hex
	octet     = "application/octet-stream"
)

func TestSignVectors(t *testing.T) {
	tests := []struct {
		name                   string
		method, md5, ct, date  string
		wantStringToSign, want string
	}{
		{"(a) HEAD, no Content-Type", "HEAD", "", "", vecDate,
			"HEAD\n\n\nThu, 26 Nov 2026 10:00:00 GMT\n/demo-bucket/images/centos 7.qcow2", "O40XNDKVp9cKSDx4NuXBAs2XIGQ="},
		{"(a') HEAD, no Date either", "HEAD", "", "", "",
			"HEAD\n\n\n\n/demo-bucket/images/centos 7.qcow2", "74rdAZdohfF/GFcM/bK7n2MnT+c="},
		{"(b) PUT with MD5 of abc", "PUT", vecMD5, octet, vecDate,
			"PUT\n900150983cd24fb0d6963f7d28e17f72\napplication/octet-stream\nThu, 26 Nov 2026 10:00:00 GMT\n/demo-bucket/images/centos 7.qcow2", "HkL1ItABZr5dhmHbeBKeNCQ0FCU="},
		{"(c) POST ?uploads", "POST", "", octet, vecDate,
			"POST\n\napplication/octet-stream\nThu, 26 Nov 2026 10:00:00 GMT\n/demo-bucket/images/centos 7.qcow2", "11FxiLIvv1DUnD6N42Va9w/kc4I="},
		{"(c') POST ?uploads, no Content-Type", "POST", "", "", vecDate,
			"POST\n\n\nThu, 26 Nov 2026 10:00:00 GMT\n/demo-bucket/images/centos 7.qcow2", "YvM/g0IS2KRPD/Bn7KyqGonYjk4="},
		{"lower-case method", "head", "", "", "",
			"HEAD\n\n\n\n/demo-bucket/images/centos 7.qcow2", "74rdAZdohfF/GFcM/bK7n2MnT+c="},
	}
	for _, tc := range tests {
		if got := StringToSign(tc.method, tc.md5, tc.ct, tc.date, "", vecBucket, vecKey); got != tc.wantStringToSign {
			t.Errorf("%s: StringToSign = %q, want %q", tc.name, got, tc.wantStringToSign)
		}
		if got := Sign(vecPriv, tc.method, tc.md5, tc.ct, tc.date, vecBucket, vecKey); got != tc.want {
			t.Errorf("%s: Sign = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAuthorizationVector(t *testing.T) {
	got := Authorization(vecPub, Sign(vecPriv, "HEAD", "", "", vecDate, vecBucket, vecKey))
	if want := "UCloud TOKEN_pub_example:O40XNDKVp9cKSDx4NuXBAs2XIGQ="; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
}

func TestCanonicalHeaders(t *testing.T) {
	// The docs' example: X-UCloud-Foo: foo and X-UCloud-Bar: bar1, bar2.
	// Its canonical form sorts bar before foo (the doc prints foo first,
	// against its own rule); its signature cannot be checked (no key).
	h := http.Header{}
	h.Add("X-UCloud-Foo", "foo")
	h.Add("X-UCloud-Bar", " bar1 ")
	h.Add("x-ucloud-bar", "bar2") // non-canonical key: merged all the same
	h["X-UCLOUD-BAR"] = []string{"bar3"}
	h.Set("X-Ufile-Storage-Class", "STANDARD") // not part of the canonical set
	h.Set("Content-Type", octet)
	got := CanonicalHeaders(h)
	// Map order decides where bar3 lands among bar's values, so check the
	// shape with bar3 removed first.
	h2 := http.Header{}
	h2.Add("X-UCloud-Foo", "foo")
	h2.Add("X-UCloud-Bar", "bar1")
	h2.Add("X-UCloud-Bar", "bar2")
	if want := "x-ucloud-bar:bar1,bar2\nx-ucloud-foo:foo\n"; CanonicalHeaders(h2) != want {
		t.Errorf("CanonicalHeaders = %q, want %q", CanonicalHeaders(h2), want)
	}
	if len(got) != len("x-ucloud-bar:bar1,bar2,bar3\nx-ucloud-foo:foo\n") {
		t.Errorf("merged CanonicalHeaders = %q", got)
	}
	if CanonicalHeaders(http.Header{"Content-Type": {octet}}) != "" {
		t.Error("headers without x-ucloud-* must canonicalise to nothing")
	}
	s := StringToSign("PUT", "", octet, "", CanonicalHeaders(h2), vecBucket, vecKey)
	if want := "PUT\n\napplication/octet-stream\n\nx-ucloud-bar:bar1,bar2\nx-ucloud-foo:foo\n/demo-bucket/images/centos 7.qcow2"; s != want {
		t.Errorf("StringToSign = %q, want %q", s, want)
	}
}

func TestSignRequest(t *testing.T) {
	keys := apiclient.Keys{PublicKey: vecPub, PrivateKey: vecPriv}
	req, _ := http.NewRequest("PUT", "https://demo-bucket.cn-bj.ufileos.com/images/centos%207.qcow2", nil)
	req.Header.Set("Content-Type", octet)
	req.Header.Set("Content-MD5", vecMD5)
	req.Header.Set("Date", vecDate)
	SignRequest(req, keys, vecBucket, vecKey)
	if got, want := req.Header.Get("Authorization"), "UCloud TOKEN_pub_example:HkL1ItABZr5dhmHbeBKeNCQ0FCU="; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}

	// No headers at all, query not signed: vector (a') with GET's method.
	req, _ = http.NewRequest("HEAD", "https://demo-bucket.cn-bj.ufileos.com/images/centos%207.qcow2?ignored=1", nil)
	SignRequest(req, keys, vecBucket, vecKey)
	if got, want := req.Header.Get("Authorization"), "UCloud TOKEN_pub_example:74rdAZdohfF/GFcM/bK7n2MnT+c="; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
}
