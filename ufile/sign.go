// Package ufile implements the parts of the UFile (US3) object protocol that
// uimport speaks without the official SDK: request signing, object URLs,
// pre-signed URLs and the UFile ETag. Everything follows
// docs/UFILE.md; its published vectors are the tests.
package ufile

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"sort"
	"strings"

	"github.com/uimport/uimport/apiclient"
)

// StringToSign is the text an object request's signature covers:
//
//	METHOD \n Content-MD5 \n Content-Type \n Date \n CanonicalizedUCloudHeaders /bucket/key
//
// Each value is exactly what is sent, "" for an absent header. key is raw,
// not URL-encoded; a bucket-level call (ListParts) passes key "". For a
// pre-signed URL, date is the Expires value instead.
func StringToSign(method, contentMD5, contentType, date, canonicalHeaders, bucket, key string) string {
	return strings.ToUpper(method) + "\n" + contentMD5 + "\n" + contentType + "\n" + date + "\n" +
		canonicalHeaders + "/" + bucket + "/" + key
}

// CanonicalHeaders is the CanonicalizedUCloudHeaders part: every header
// named x-ucloud-* (any case), name lower-cased, sorted by name, repeated
// values merged with ",", values trimmed, one "name:value\n" each. It is ""
// when there are none, which is what uimport sends (docs/UFILE.md advises
// sending no X-UCloud-* headers; X-Ufile-* headers are not included).
func CanonicalHeaders(h http.Header) string {
	merged := map[string][]string{}
	for name, values := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-ucloud-") {
			continue
		}
		for _, v := range values {
			merged[lower] = append(merged[lower], strings.TrimSpace(v))
		}
	}
	names := make([]string, 0, len(merged))
	for name := range merged {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name + ":" + strings.Join(merged[name], ",") + "\n")
	}
	return b.String()
}

// SignString is Base64Std(HMAC-SHA1(privateKey, stringToSign)).
func SignString(privateKey, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(privateKey))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Sign signs an object request that carries no X-UCloud-* headers. Pass
// date "" when no Date header is sent (what uimport does, like the Go and
// Python SDKs).
func Sign(privateKey, method, contentMD5, contentType, date, bucket, key string) string {
	return SignString(privateKey, StringToSign(method, contentMD5, contentType, date, "", bucket, key))
}

// Authorization is the Authorization header value: "UCloud <pub>:<sig>".
func Authorization(publicKey, signature string) string {
	return "UCloud " + publicKey + ":" + signature
}

// SignRequest sets req's Authorization header from what req will send:
// its method, Content-MD5, Content-Type, Date and X-UCloud-* headers. Set
// those headers first and do not change them afterwards. The query string
// is not signed, so one signature serves every part of a multipart upload.
func SignRequest(req *http.Request, keys apiclient.Keys, bucket, key string) {
	h := req.Header
	s := SignString(keys.PrivateKey, StringToSign(req.Method, h.Get("Content-MD5"), h.Get("Content-Type"), h.Get("Date"), CanonicalHeaders(h), bucket, key))
	h.Set("Authorization", Authorization(keys.PublicKey, s))
}
