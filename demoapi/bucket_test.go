package demoapi

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestDescribeBucketKnownAndUnknown(t *testing.T) {
	s := newServer(t, Options{})
	for name, typ := range map[string]string{DemoBucket: "public", DemoPrivateBucket: "private"} {
		a := call(t, s, apiclient.Params{"Action": "DescribeBucket", "BucketName": name})
		if a.retCode(t) != 0 {
			t.Fatalf("%s: %s", name, a.raw)
		}
		rows := a.json["DataSet"].([]any)
		row := rows[0].(map[string]any)
		src := row["Domain"].(map[string]any)["Src"].([]any)
		if len(rows) != 1 || row["Type"] != typ || src[0] != "http://example.com/ufile/"+name {
			t.Errorf("%s: %s", name, a.raw)
		}
	}
	for _, name := range []string{"b", DemoMissingBucket} {
		if a := call(t, s, apiclient.Params{"Action": "DescribeBucket", "BucketName": name}); a.retCode(t) != 230 {
			t.Errorf("%s: %s, want RetCode 230", name, a.raw)
		}
	}
	if a := call(t, s, apiclient.Params{"Action": "DescribeBucket"}); len(a.json["DataSet"].([]any)) != 2 {
		t.Errorf("listing: %s, want both demo buckets", a.raw)
	}
}

// Behind a TLS server, the endpoint answered is the https address the
// client used, so uploads go to the same server over the same trust.
func TestDescribeBucketEndpointOverTLS(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewTLSServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	c := apiclient.New(ts.URL, apiclient.Keys{PublicKey: PublicKey, PrivateKey: PrivateKey}, "test")
	c.HTTPClient = ts.Client()
	b, err := c.DescribeBucket(context.Background(), DemoPrivateBucket, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Endpoint() != ts.URL+"/ufile/"+DemoPrivateBucket || !b.Private() {
		t.Errorf("Endpoint %q Private %v", b.Endpoint(), b.Private())
	}
	_, err = c.DescribeBucket(context.Background(), "nope", "")
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || ae.RetCode != 230 {
		t.Errorf("err = %v, want RetCode 230", err)
	}
}
