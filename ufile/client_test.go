package ufile

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestObjectURLs(t *testing.T) {
	c := &Client{Keys: vecKeys, Bucket: vecBucket, FileHost: "cn-bj.ufileos.com"}
	if got := c.ObjectURL(vecKey); got != "https://demo-bucket.cn-bj.ufileos.com/images/centos%207.qcow2" {
		t.Errorf("ObjectURL = %s", got)
	}
	if got := c.PresignedGET(vecKey, vecExpires); got != vecPresigned {
		t.Errorf("PresignedGET =\n %s\nwant\n %s", got, vecPresigned)
	}
	c.Scheme = "http"
	c.FileHost = "internal-cn-sh2-01.ufileos.com"
	if got := c.ObjectURL("a+b"); got != "http://demo-bucket.internal-cn-sh2-01.ufileos.com/a%2Bb" {
		t.Errorf("ObjectURL = %s", got)
	}
	// An endpoint replaces scheme and host; its path prefixes the key.
	for raw, want := range map[string]string{
		"https://img.example.com":               "https://img.example.com/images/centos%207.qcow2",
		"http://127.0.0.1:9/ufile/demo-bucket/": "http://127.0.0.1:9/ufile/demo-bucket/images/centos%207.qcow2",
	} {
		ep, err := ParseEndpoint(raw)
		if err != nil {
			t.Fatal(err)
		}
		c.Endpoint = ep
		if got := c.ObjectURL(vecKey); got != want {
			t.Errorf("ObjectURL with %s = %s", raw, got)
		}
	}
	for _, bad := range []string{"img.example.com", "ftp://x", "https://", "https://u:p@x", "https://x/?a=1", "https://x/#f", "%"} {
		if _, err := ParseEndpoint(bad); err == nil {
			t.Errorf("ParseEndpoint(%q) accepted", bad)
		}
	}
}

// Host-style addressing sends Host <bucket>.<file host>; the signature is
// over /bucket/key all the same.
func TestHostStyleRequest(t *testing.T) {
	var host, auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, auth = r.Host, r.Header.Get("Authorization")
		w.Header().Set("ETag", `"e"`)
	}))
	defer srv.Close()
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "tcp", srv.Listener.Addr().String())
	}}
	c := &Client{Keys: vecKeys, Bucket: vecBucket, FileHost: "cn-bj.ufileos.com", Scheme: "http", HTTPClient: &http.Client{Transport: tr}}
	if _, err := c.Head(context.Background(), vecKey); err != nil {
		t.Fatal(err)
	}
	// Vector (a'): HEAD, no Date, no Content-Type.
	if host != "demo-bucket.cn-bj.ufileos.com" || auth != "UCloud TOKEN_pub_example:74rdAZdohfF/GFcM/bK7n2MnT+c=" {
		t.Errorf("Host %q, Authorization %q", host, auth)
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	c := DefaultHTTPClient()
	tr := c.Transport.(*http.Transport)
	if tr.Protocols.HTTP2() || !tr.Protocols.HTTP1() || tr.MaxIdleConnsPerHost < 8 || c.CheckRedirect == nil {
		t.Errorf("transport %+v", tr)
	}
	if _, err := url.Parse(new(Client).ObjectURL("k")); err != nil {
		t.Error(err)
	}
}
