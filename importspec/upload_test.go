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
