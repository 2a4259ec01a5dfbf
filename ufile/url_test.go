package ufile

import "testing"

func TestEscapeKey(t *testing.T) {
	for key, want := range map[string]string{
		"images/centos 7.qcow2": "images/centos%207.qcow2", // docs/UFILE.md
		"disk.qcow2":            "disk.qcow2",
		"a+b/c d/e%f":           "a%2Bb/c%20d/e%25f",
		"dir/?#[x]":             "dir/%3F%23%5Bx%5D",
		"镜像/盘.raw":              "%E9%95%9C%E5%83%8F/%E7%9B%98.raw",
		"a//b":                  "a//b",
	} {
		if got := EscapeKey(key); got != want {
			t.Errorf("EscapeKey(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestObjectURL(t *testing.T) {
	got := ObjectURL("https", vecBucket, "cn-bj.ufileos.com", vecKey)
	if want := "https://demo-bucket.cn-bj.ufileos.com/images/centos%207.qcow2"; got != want {
		t.Errorf("ObjectURL = %q, want %q", got, want)
	}
}
