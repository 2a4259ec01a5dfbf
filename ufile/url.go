package ufile

import (
	"net/url"
	"strings"
)

// EscapeKey percent-encodes an object key for a URL path, segment by
// segment, keeping "/" (so "images/centos 7.qcow2" becomes
// "images/centos%207.qcow2"). "+" also becomes %2B, as the Java SDK does:
// some servers read a bare "+" in a path as a space.
func EscapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
	}
	return strings.Join(segs, "/")
}

// ObjectURL is <scheme>://<bucket>.<fileHost>/<escaped key>, e.g.
// ObjectURL("https", "demo-bucket", "cn-bj.ufileos.com", "a b.qcow2") is
// "https://demo-bucket.cn-bj.ufileos.com/a%20b.qcow2". fileHost has no
// bucket in it, like the Go SDK's file_host setting. Keys must not start
// with "/": UFile then refuses the signature.
func ObjectURL(scheme, bucket, fileHost, key string) string {
	return scheme + "://" + bucket + "." + fileHost + "/" + EscapeKey(key)
}
