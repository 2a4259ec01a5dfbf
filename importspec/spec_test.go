package importspec

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// goodSpec is a complete, valid spec; tests change one thing at a time.
func goodSpec() Spec {
	return Spec{
		Region: "cn-bj2", ProjectID: "org-abc123", Name: "centos7-web",
		URL:    "https://mybucket.cn-bj.ufileos.com/img/centos7.qcow2",
		OsType: "CentOS", OsName: "CentOS 7.9 64位", Format: "qcow2",
	}
}

func TestNormalize(t *testing.T) {
	in := Spec{
		Region: " cn-bj2 ", ProjectID: "\torg-abc\n", Name: "  web  ", URL: " https://b.cn-bj.ufileos.com/x.raw\n",
		OsType: "centos", OsName: " CentOS 7.9 64位 ", Format: "raw", Tag: " t ", Description: " d ",
	}
	want := Spec{
		Region: "cn-bj2", ProjectID: "org-abc", Name: "web", URL: "https://b.cn-bj.ufileos.com/x.raw",
		OsType: "CentOS", OsName: "CentOS 7.9 64位", Format: "RAW", Tag: "t", Description: "d",
	}
	if got := in.Normalize(); got != want {
		t.Errorf("Normalize:\n got %+v\nwant %+v", got, want)
	}

	for _, tc := range []struct{ format, want string }{
		{"QCOW2", "qcow2"}, {"vmdk", "VMDK"}, {"Vhd", "VHD"}, {"vhdx", "vhdx"}, // unknown left for Validate to name
	} {
		if got := (Spec{Format: tc.format}).Normalize().Format; got != tc.want {
			t.Errorf("Normalize format %q = %q, want %q", tc.format, got, tc.want)
		}
	}

	// OsType Other implies OsName Other when none was given...
	if got := (Spec{OsType: "other"}).Normalize(); got.OsType != "Other" || got.OsName != "Other" {
		t.Errorf("Normalize(OsType other) = %q/%q, want Other/Other", got.OsType, got.OsName)
	}
	// ...and any spelling of Other is sent as Other.
	if got := (Spec{OsType: "OTHER", OsName: "other"}).Normalize(); got.OsName != "Other" {
		t.Errorf("Normalize(OsName other) = %q, want Other", got.OsName)
	}
	// ...but an explicit different OsName is kept, for Validate to refuse.
	if got := (Spec{OsType: "Other", OsName: "Debian"}).Normalize(); got.OsName != "Debian" {
		t.Errorf("Normalize must not overwrite an explicit OsName: got %q", got.OsName)
	}
	// Unknown families keep their spelling.
	if got := (Spec{OsType: "Arch"}).Normalize(); got.OsType != "Arch" || got.OsName != "" {
		t.Errorf("Normalize(Arch) = %+v", got)
	}
}

func TestMissing(t *testing.T) {
	if m := goodSpec().Missing(); len(m) != 0 {
		t.Errorf("complete spec: Missing() = %v", m)
	}
	want := []string{"--region", "--name", "--url", "--os-type", "--os-name", "--format"}
	if m := (Spec{}).Missing(); !slices.Equal(m, want) {
		t.Errorf("empty spec: Missing() = %v, want %v", m, want)
	}
	// Optional fields are never missing.
	s := goodSpec()
	s.ProjectID, s.Tag, s.Description = "", "", ""
	if m := s.Missing(); len(m) != 0 {
		t.Errorf("optional fields reported missing: %v", m)
	}
	s = goodSpec()
	s.Name, s.Format = "", ""
	if m := s.Missing(); !slices.Equal(m, []string{"--name", "--format"}) {
		t.Errorf("Missing() = %v, want [--name --format]", m)
	}
}

func TestValidateGoodSpec(t *testing.T) {
	warnings, err := goodSpec().Validate()
	if err != nil {
		t.Fatalf("valid spec refused: %v", err)
	}
	if len(warnings) != 0 {
		t.Errorf("valid spec warned: %q", warnings)
	}
	// CJK everywhere a person may type it.
	s := goodSpec()
	s.Name, s.Tag, s.Description = "中文镜像", "业务组", "用于测试的镜像"
	if _, err := s.Validate(); err != nil {
		t.Errorf("CJK values refused: %v", err)
	}
}

func TestValidateReturnsEveryError(t *testing.T) {
	s := Spec{
		Region: "CN BJ", ProjectID: "bad project", Name: "<web>", URL: "http://b.cn-bj.ufileos.com/x.qcow2",
		OsType: "Other", OsName: "CentOS", Format: "iso", Tag: strings.Repeat("t", 64), Description: "a\x00b",
	}
	_, err := s.Validate()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Validate error is %T (%v), want Errors", err, err)
	}
	var flags []string
	for _, e := range errs {
		flags = append(flags, e.Flag)
		if e.Problem == "" {
			t.Errorf("%s: empty problem", e.Flag)
		}
	}
	want := []string{"--region", "--project-id", "--name", "--url", "--os-name", "--format", "--tag", "--description"}
	if !slices.Equal(flags, want) {
		t.Errorf("flags with errors = %v, want %v", flags, want)
	}
	// The combined message has one line per field, each naming its flag.
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("error has %d lines, want %d:\n%s", len(lines), len(want), err)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, want[i]+": ") {
			t.Errorf("line %d = %q, want it to start with %q", i, l, want[i]+": ")
		}
	}
}

func TestValidateSingleErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*Spec)
		flag    string
		problem string
	}{
		{"http URL", func(s *Spec) { s.URL = "http://b.cn-bj.ufileos.com/x.qcow2" }, "--url", "uses http"},
		{"Other with OsName", func(s *Spec) { s.OsType, s.OsName = "Other", "CentOS 7" }, "--os-name", "must be Other"},
		{"bad format", func(s *Spec) { s.Format = "vhdx" }, "--format", "is not accepted"},
		{"long name", func(s *Spec) { s.Name = strings.Repeat("n", 64) }, "--name", "at most 63"},
		{"control char name", func(s *Spec) { s.Name = "web\x07" }, "--name", "control character"},
		{"missing region", func(s *Spec) { s.Region = "" }, "--region", "required"},
	} {
		s := goodSpec()
		tc.edit(&s)
		_, err := s.Validate()
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != 1 {
			t.Errorf("%s: got %v, want exactly one error", tc.name, err)
			continue
		}
		if errs[0].Flag != tc.flag || !strings.Contains(errs[0].Problem, tc.problem) {
			t.Errorf("%s: got %s, want %s containing %q", tc.name, errs[0], tc.flag, tc.problem)
		}
	}
	// http is fine once allowed.
	s := goodSpec()
	s.URL, s.AllowHTTP = "http://b.cn-bj.ufileos.com/x.qcow2", true
	if _, err := s.Validate(); err != nil {
		t.Errorf("http with AllowHTTP refused: %v", err)
	}
}

func TestValidateWarnings(t *testing.T) {
	s := goodSpec()
	s.Region = "xx-new9"
	s.URL = "https://mybucket.xx-new9.ufileos.com/img/centos7.qcow2"
	warnings, err := s.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], `region "xx-new9" is not in the documented list`) {
		t.Errorf("unknown region warnings = %q", warnings)
	}

	s = goodSpec()
	s.Region = "sg"
	warnings, err = s.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "UFile region cn-bj but the image goes to sg") {
		t.Errorf("region mismatch warnings = %q", warnings)
	}

	// An invalid URL gets an error, not warnings on top.
	s = goodSpec()
	s.URL = "https://example.com/"
	warnings, _ = s.Validate()
	if len(warnings) != 0 {
		t.Errorf("warnings for an invalid URL: %q", warnings)
	}
}

func TestRequest(t *testing.T) {
	s := goodSpec()
	s.Tag, s.Description = "grp", "desc"
	r := s.Request()
	if r.Region != s.Region || r.ProjectId != s.ProjectID || r.ImageName != s.Name || r.UFileUrl != s.URL ||
		r.OsType != s.OsType || r.OsName != s.OsName || r.Format != s.Format || r.Tag != s.Tag || r.ImageDescription != s.Description {
		t.Errorf("Request() = %+v does not carry %+v", r, s)
	}
}
