package ufile

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestCheckBucketName(t *testing.T) {
	for _, ok := range []string{"abc", "my-bucket-01", strings.Repeat("a", 63)} {
		if err := CheckBucketName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ab", strings.Repeat("a", 64), "evil.example.com/x", "evil.example.com",
		"MyBucket", "a b c", "../x", "-abc", "abc-", "buck\x00et", "bück"} {
		if CheckBucketName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckKey(t *testing.T) {
	for _, ok := range []string{"a", "img/centos 7.qcow2", "中文/镜像.raw", "a..b/c.", strings.Repeat("k", MaxKeyLen)} {
		if err := CheckKey(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/x", "a\nb", "a\x1b[2Jb", "\xff\xfe", strings.Repeat("k", MaxKeyLen+1),
		"../../x", "a/./b", "a/..", ".", "x\u0085y"} {
		if CheckKey(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A bucket that is not a plain name never becomes part of a host: the
// request is refused before anything is sent.
func TestHostCannotBeHijacked(t *testing.T) {
	// Nothing may be dialled (nor looked up): the transport only counts.
	var hits atomic.Int32
	hc := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		hits.Add(1)
		return nil, errors.New("no dialling in this test")
	}, Proxy: nil}}
	for _, c := range []*Client{
		{Bucket: "evil.example.com/x", FileHost: "cn-bj.ufileos.com"},
		{Bucket: "good-bucket", FileHost: "127.0.0.1:1/x"},
		{Bucket: "good-bucket", FileHost: "cn-bj.ufileos.com@evil.example.com"},
	} {
		c.HTTPClient = hc
		c.Keys = apiclient.Keys{PublicKey: "p", PrivateKey: "s"}
		_, err := c.Head(context.Background(), "k")
		if KindOf(err) != KindRefused || !strings.Contains(err.Error(), "nothing was sent") {
			t.Errorf("%s.%s: %v", c.Bucket, c.FileHost, err)
		}
	}
	if CheckFileHost("cn-bj.ufileos.com") != nil || hits.Load() != 0 {
		t.Error("a valid host refused, or a request was sent")
	}
}

func TestErrorEscapesServerText(t *testing.T) {
	e := &Error{Op: "Head", Bucket: "b", Key: "k\x1b]0;x\x07", Status: 500, Message: "\x1b]0;PWNED\x07evil\ninjected\u202e", SessionID: "s\r"}
	got := e.Error()
	if strings.ContainsAny(got, "\x1b\x07\n\r\u202e") || !strings.Contains(got, `\x1b]0;PWNED\x07evil\ninjected\u202e`) {
		t.Errorf("Error() = %q", got)
	}
}
