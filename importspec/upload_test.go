package importspec

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateUpload(t *testing.T) {
	if err := ValidateUpload("my-bucket", "img/centos 7.qcow2", "cn-bj2"); err != nil {
		t.Fatal(err)
	}
	if err := ValidateUpload("my-bucket", "disk.raw", ""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ bucket, key, region, flag string }{
		{"evil.example.com/x", "k", "", "--bucket"},
		{"MyBucket", "k", "", "--bucket"},
		{"a..b", "k", "", "--bucket"},
		{"my bucket", "k", "", "--bucket"},
		{"", "k", "", "--bucket"},
		{"ok-bucket", "a\nb", "", "--key"},
		{"ok-bucket", "\xff", "", "--key"},
		{"ok-bucket", strings.Repeat("x", 10000), "", "--key"},
		{"ok-bucket", "../../x", "", "--key"},
		{"ok-bucket", "k", "CN BJ", "--region"},
		{"ok-bucket", "k", "cn-bj2/../x", "--region"},
	} {
		err := ValidateUpload(tc.bucket, tc.key, tc.region)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Flag != tc.flag {
			t.Errorf("%.40q %.40q %.40q: %.80v, want a %s error", tc.bucket, tc.key, tc.region, err, tc.flag)
		}
	}
}

func TestValidateImageID(t *testing.T) {
	if ValidateImageID("uimage-abc12345") != nil {
		t.Error("a real id refused")
	}
	for _, bad := range []string{"", "  ", "../../../etc/passwd", "uimage-x\x1b]0;t\x07"} {
		if err := ValidateImageID(bad); err == nil || strings.ContainsRune(err.Error(), 0x1b) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestSmallerChecks(t *testing.T) {
	base := Spec{Region: "sg", Name: "web", URL: "https://b.sg.ufileos.com/x.qcow2", OsType: "Ubuntu",
		OsName: "Ubuntu 22.04 64位", Format: "qcow2"}
	for field, s := range map[string]Spec{
		"--os-name":     func() Spec { s := base; s.OsName = "Ubuntu \xff 64位"; return s }(),
		"--tag":         func() Spec { s := base; s.Tag = "prod\xe4"; return s }(),
		"--description": func() Spec { s := base; s.Description = "\xc3("; return s }(),
		"--url":         func() Spec { s := base; s.URL = "https://b.sg.ufileos.com:99999/x.qcow2"; return s }(),
	} {
		if _, err := s.Validate(); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
	frag := base
	frag.URL = "https://b.sg.ufileos.com/x.qcow2#part"
	if _, err := frag.Validate(); err == nil {
		t.Error("a #fragment passed")
	}
	// A typo'd region: refused when the API's list is known, warned
	// about offline.
	typo := base
	typo.Region = "sgp"
	if _, err := typo.ValidateWith([]string{"sg", "hk", "cn-bj2"}); err == nil || !strings.Contains(err.Error(), "--region") {
		t.Errorf("with the API's regions: %v", err)
	}
	if w, err := typo.Validate(); err != nil || len(w) == 0 {
		t.Errorf("offline: %v, %v", w, err)
	}
	if _, err := base.ValidateWith([]string{"sg"}); err != nil {
		t.Errorf("a listed region: %v", err)
	}
}
