package ufile

import (
	"net/url"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

var (
	vecKeys    = apiclient.Keys{PublicKey: vecPub, PrivateKey: vecPriv}
	vecExpires = time.Unix(1795690800, 0) // the vector Date + 3600
)

const vecPresigned = "https://demo-bucket.cn-bj.ufileos.com/images/centos%207.qcow2?Expires=1795690800&Signature=yvMpmzrSGR25mhtOgocDOj9hWys%3D&UCloudPublicKey=TOKEN_pub_example"

func TestPresignVector(t *testing.T) {
	if got, want := StringToSign("GET", "", "", "1795690800", "", vecBucket, vecKey), "GET\n\n\n1795690800\n/demo-bucket/images/centos 7.qcow2"; got != want {
		t.Errorf("StringToSign = %q, want %q", got, want)
	}
	q := PresignQuery(vecKeys, "GET", vecBucket, vecKey, vecExpires)
	if got := q.Get(QuerySignature); got != "yvMpmzrSGR25mhtOgocDOj9hWys=" {
		t.Errorf("Signature = %q", got)
	}
	if got := PresignGET(vecKeys, "https", vecBucket, "cn-bj.ufileos.com", vecKey, vecExpires); got != vecPresigned {
		t.Errorf("PresignGET =\n %s\nwant\n %s", got, vecPresigned)
	}
	got, err := Presign("https://demo-bucket.cn-bj.ufileos.com/images/centos%207.qcow2", "GET", vecKeys, vecBucket, vecKey, vecExpires)
	if err != nil || got != vecPresigned {
		t.Errorf("Presign = %q, %v", got, err)
	}
}

func TestPresignKeepsQuery(t *testing.T) {
	got, err := Presign("https://b.cn-bj.ufileos.com/k?uploadId=abc&partNumber=0", "PUT", vecKeys, "b", "k", vecExpires)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(got)
	q := u.Query()
	if q.Get("uploadId") != "abc" || q.Get("partNumber") != "0" || q.Get(QuerySignature) != Sign(vecPriv, "PUT", "", "", "1795690800", "b", "k") {
		t.Errorf("Presign = %q", got)
	}
	if _, err := Presign("://bad", "GET", vecKeys, "b", "k", vecExpires); err == nil {
		t.Error("Presign of a bad URL succeeded")
	}
}

func TestIsPresignedAndExpiry(t *testing.T) {
	u, _ := url.Parse(vecPresigned)
	if !IsPresigned(u.Query()) {
		t.Error("vector URL not seen as pre-signed")
	}
	if at, ok := Expiry(u.Query()); !ok || !at.Equal(vecExpires) {
		t.Errorf("Expiry = %v, %v", at, ok)
	}
	for _, q := range []string{"", "a=1", "Expires=soon"} {
		v, _ := url.ParseQuery(q)
		if _, ok := Expiry(v); ok {
			t.Errorf("Expiry(%q) ok", q)
		}
		if q != "Expires=soon" && IsPresigned(v) {
			t.Errorf("IsPresigned(%q)", q)
		}
	}
}
