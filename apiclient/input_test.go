package apiclient_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestValidateBaseURL(t *testing.T) {
	for _, ok := range []string{"https://api.scloudsg.com", "http://127.0.0.1:8080", "https://gw.example.com/api/", "https://[::1]:443"} {
		if err := apiclient.ValidateBaseURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ftp://x", "javascript:alert(1)", "127.0.0.1:1", "https://", "https://u:p@api.ucloud.cn",
		"https://api.ucloud.cn/?Action=x", "https://api.ucloud.cn/#frag", "https://api.ucloud.cn:99999", "https://api.ucloud.cn:0",
		"https://api.ucloud.cn:", "https://api ucloud.cn", "https://api.ucloud.cn/\x1b[2J", "mailto:x@y"} {
		err := apiclient.ValidateBaseURL(bad)
		var ie *apiclient.InputError
		if !errors.As(err, &ie) || ie.Hint() == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := apiclient.NewChecked("ftp://x", apiclient.Keys{}, ""); err == nil {
		t.Error("NewChecked accepted ftp://x")
	}
}

// A client with a bad base URL sends nothing: an *InputError, not a
// network error that "may have reached the server".
func TestSendRefusesBadBaseURL(t *testing.T) {
	c := apiclient.New("javascript:alert(1)", apiclient.Keys{PublicKey: "p", PrivateKey: "s"}, "")
	_, err := c.ImportCustomImage(context.Background(), apiclient.ImportRequest{Region: "cn-bj2"})
	var ie *apiclient.InputError
	if !errors.As(err, &ie) || strings.Contains(err.Error(), "may have") {
		t.Fatalf("err = %v", err)
	}
}

func TestValidImageID(t *testing.T) {
	for _, ok := range []string{"uimage-abc12345", "uimage-nope", "uimage-base0c79", "uimage-A1_b-2"} {
		if !apiclient.ValidImageID(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", " ", "uimage-", "-abc", "uimage", "../../../etc/passwd", "uimage-a/b", "uimage-..",
		"uimage-a b", "uimage-a\n", "\x1b]0;PWNED\x07evil\ninjected", "UIMAGE-abc", "uimage-" + strings.Repeat("a", 60), "uimage-é"} {
		if apiclient.ValidImageID(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestMalformedImageIDIsABadResponse(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":0,"Action":"ImportCustomImageResponse","ImageId":"\u001b]0;PWNED\u0007evil\ninjected"}`))
	_, err := c.ImportCustomImage(context.Background(), apiclient.ImportRequest{Region: "cn-bj2"})
	var re *apiclient.ResponseError
	if !errors.As(err, &re) || !errors.Is(err, apiclient.ErrBadImageID) || strings.ContainsAny(re.Snippet, "\x1b\x07\n") {
		t.Fatalf("err = %#v", err)
	}

	_, c = newFakeAPI(t, respond(`{"RetCode":0,"Action":"DescribeImageResponse","TotalCount":1,"ImageSet":[{"ImageId":"../../../etc/passwd"}]}`))
	if _, err := c.DescribeImage(context.Background(), apiclient.DescribeImageRequest{Region: "cn-bj2"}); !errors.As(err, &re) {
		t.Errorf("listing with a bad id: %v", err)
	}
}

func TestDescribeImageAboutAnotherImage(t *testing.T) {
	f, c := newFakeAPI(t, respond(`{"RetCode":0,"Action":"DescribeImageResponse","TotalCount":1,"ImageSet":[{"ImageId":"uimage-other","State":"Available"}]}`))
	_, err := c.DescribeImage(context.Background(), apiclient.DescribeImageRequest{Region: "cn-bj2", ImageId: "uimage-mine"})
	var re *apiclient.ResponseError
	if !errors.As(err, &re) || !strings.Contains(re.Snippet, "uimage-other") {
		t.Fatalf("err = %v", err)
	}
	// A malformed id asked for is refused before sending.
	before := f.count(apiclient.ActionDescribeImage)
	_, err = c.DescribeImage(context.Background(), apiclient.DescribeImageRequest{Region: "cn-bj2", ImageId: "../x"})
	var ie *apiclient.InputError
	if !errors.As(err, &ie) || f.count(apiclient.ActionDescribeImage) != before {
		t.Errorf("err = %v", err)
	}
}

func TestServerMessageEscaped(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":230,"Action":"DescribeImageResponse","Message":"bad\u001b[2J\r\nRetCode 0: success"}`))
	_, err := c.DescribeImage(context.Background(), apiclient.DescribeImageRequest{Region: "cn-bj2"})
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || strings.ContainsAny(err.Error(), "\x1b\r\n") || !strings.Contains(err.Error(), `\x1b[2J\r\n`) {
		t.Fatalf("err = %q", err)
	}
}
