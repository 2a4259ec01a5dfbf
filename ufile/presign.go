package ufile

import (
	"net/url"
	"strconv"
	"time"

	"github.com/uimport/uimport/apiclient"
)

// Query parameters of a pre-signed URL.
const (
	QueryPublicKey = "UCloudPublicKey"
	QuerySignature = "Signature"
	QueryExpires   = "Expires"
)

// PresignQuery returns the three parameters that make a URL pre-signed for
// method on /bucket/key until expires. The signature covers Expires (in
// place of Date) with empty Content-MD5 and Content-Type lines, so the URL
// is valid for requests that send neither header.
func PresignQuery(keys apiclient.Keys, method, bucket, key string, expires time.Time) url.Values {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return url.Values{
		QueryPublicKey: {keys.PublicKey},
		QuerySignature: {Sign(keys.PrivateKey, method, "", "", exp, bucket, key)},
		QueryExpires:   {exp},
	}
}

// PresignGET is the pre-signed download URL of an object, the form
// ImportCustomImage needs for a private bucket:
// ObjectURL(scheme, bucket, fileHost, key) + "?Expires=...&Signature=...&UCloudPublicKey=...".
func PresignGET(keys apiclient.Keys, scheme, bucket, fileHost, key string, expires time.Time) string {
	return ObjectURL(scheme, bucket, fileHost, key) + "?" + PresignQuery(keys, "GET", bucket, key, expires).Encode()
}

// Presign adds pre-signed parameters to any object URL (a custom domain, or
// one whose query already has uploadId and partNumber), signing for method
// on /bucket/key. Existing parameters are kept; the query is re-encoded in
// key order.
func Presign(rawURL, method string, keys apiclient.Keys, bucket, key string, expires time.Time) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	for k, v := range PresignQuery(keys, method, bucket, key, expires) {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// IsPresigned reports whether a URL's query already carries a signature
// (any of the three parameters). Such a URL must be sent as is: UFile
// refuses a request signed both in the URL and in a header.
func IsPresigned(q url.Values) bool {
	return q.Has(QueryPublicKey) || q.Has(QuerySignature) || q.Has(QueryExpires)
}

// Expiry returns when a pre-signed URL stops working, if its Expires
// parameter is a Unix time.
func Expiry(q url.Values) (time.Time, bool) {
	n, err := strconv.ParseInt(q.Get(QueryExpires), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}
