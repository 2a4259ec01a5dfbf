package apiclient_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// The shape Packer's UCloud import reads: DataSet[0].Domain.Src[0] and Type.
const describeBucketAnswer = `{"Action":"DescribeBucketResponse","RetCode":0,"DataSet":[{"BucketName":"mybucket",
	"BucketId":"ufile-abc","Region":"cn-bj2","Type":"private","CreateTime":1700000000,
	"Domain":{"Src":["mybucket.cn-bj.ufileos.com"],"Cdn":["mybucket.ufile.ucloud.com.cn"],"CustomSrc":[],"CustomCdn":[]}}]}`

func TestDescribeBucketDecodesAndSendsName(t *testing.T) {
	f, c := newFakeAPI(t, respond(describeBucketAnswer))
	b, err := c.DescribeBucket(context.Background(), "mybucket", "org-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.lastForm(); got.Get("BucketName") != "mybucket" || got.Get("ProjectId") != "org-1" || got.Get("Action") != "DescribeBucket" {
		t.Errorf("sent %v", got)
	}
	if b.FileHost() != "cn-bj.ufileos.com" || b.Endpoint() != "" || !b.Private() || b.Region != "cn-bj2" {
		t.Errorf("FileHost %q Endpoint %q Private %v Region %q", b.FileHost(), b.Endpoint(), b.Private(), b.Region)
	}
}

func TestDescribeBucketRetriesLikeReadOnlyActions(t *testing.T) {
	f, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, attempt int) {
		if attempt == 1 {
			writeJSON(w, `{"RetCode":150,"Message":"busy"}`)
			return
		}
		writeJSON(w, describeBucketAnswer)
	})
	if _, err := c.DescribeBucket(context.Background(), "mybucket", ""); err != nil {
		t.Fatal(err)
	}
	if n := f.count("DescribeBucket"); n != 2 {
		t.Errorf("%d requests, want 2 (one retry after RetCode 150)", n)
	}
}

func TestDescribeBucketRefusalIsAnAPIError(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":230,"Message":"bucket not found"}`))
	_, err := c.DescribeBucket(context.Background(), "nope", "")
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || ae.RetCode != 230 {
		t.Fatalf("err = %v, want APIError 230", err)
	}
}

func TestDescribeBucketNotListed(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":0,"DataSet":[]}`))
	if _, err := c.DescribeBucket(context.Background(), "x", ""); !errors.Is(err, apiclient.ErrBucketNotListed) {
		t.Fatalf("err = %v, want ErrBucketNotListed", err)
	}
}

func TestBucketHosts(t *testing.T) {
	for _, tc := range []struct {
		src, host, endpoint string
		typ                 string
		private             bool
	}{
		{"b.sg.ufileos.com", "sg.ufileos.com", "", "public", false},
		{"b.ufile.ucloud.cn", "ufile.ucloud.cn", "", "PUBLIC", false},
		{"http://127.0.0.1:9/ufile/b", "", "http://127.0.0.1:9/ufile/b", "private", true},
		{"nodot", "", "", "", true},
		{"", "", "", "public", false},
	} {
		b := apiclient.Bucket{Type: tc.typ}
		if tc.src != "" {
			b.Domain.Src = []string{tc.src}
		}
		if b.FileHost() != tc.host || b.Endpoint() != tc.endpoint || b.Private() != tc.private {
			t.Errorf("%q %q: FileHost %q Endpoint %q Private %v", tc.src, tc.typ, b.FileHost(), b.Endpoint(), b.Private())
		}
	}
}
