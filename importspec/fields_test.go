package importspec

import (
	"strings"
	"testing"
)

// check runs one validator case: wantErr "" means the value must pass,
// otherwise the error must contain wantErr.
func check(t *testing.T, name string, err error, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("%s: unexpected error %q", name, err)
	case wantErr != "" && err == nil:
		t.Errorf("%s: accepted, want an error containing %q", name, wantErr)
	case wantErr != "" && !strings.Contains(err.Error(), wantErr):
		t.Errorf("%s: error %q, want it to contain %q", name, err, wantErr)
	}
}

func TestValidateName(t *testing.T) {
	for _, tc := range []struct {
		name, v, wantErr string
	}{
		{"ascii", "centos7-web", ""},
		{"symbols", "web (v2) [prod]: a+b@c#1,x/y_z.img", ""},
		{"inner spaces", "web base image", ""},
		{"CJK", "中文镜像-测试", ""},
		{"CJK 63 runes", strings.Repeat("镜", 63), ""},
		{"CJK 64 runes", strings.Repeat("镜", 64), "64 characters long; at most 63"},
		{"63 ascii", strings.Repeat("a", 63), ""},
		{"64 ascii", strings.Repeat("a", 64), "64 characters long; at most 63"},
		{"empty", "", "required"},
		{"only spaces", "   ", "required"},
		{"leading space", " web", "must not start or end with a space"},
		{"trailing space", "web ", "must not start or end with a space"},
		{"tab", "web\tbase", "control character (U+0009)"},
		{"newline", "web\nbase", "control character (U+000A)"},
		{"escape", "web\x1b[31m", "control character (U+001B)"},
		{"DEL", "web\x7f", "control character (U+007F)"},
		{"C1 control", "we\u0085b", "control character (U+0085)"},
		{"less than", "a<b", `'<' is not allowed`},
		{"greater than", "a>b", `'>' is not allowed`},
		{"quote", `a"b`, `'"' is not allowed`},
		{"semicolon", "a;b", `';' is not allowed`},
	} {
		check(t, tc.name, ValidateName(tc.v), tc.wantErr)
	}
}

func TestValidateRegion(t *testing.T) {
	for _, tc := range []struct {
		v, wantErr string
	}{
		{"cn-bj2", ""},
		{"hk", ""},
		{"sg", ""},
		{"idn-jakarta", ""},
		{"bra-saopaulo", ""},
		{"cn-guiyang1", ""},
		{"xx-new9", ""}, // undocumented but well-formed: a warning elsewhere, not an error
		{"", "required"},
		{"CN-BJ2", "is not a region id"},
		{"cn_bj2", "is not a region id"},
		{"cn-bj2 ", "is not a region id"},
		{"c", "is not a region id"},
		{"cn-", "is not a region id"},
		{"cn-bj2-04", ""}, // zone-shaped ids still match the region pattern
		{"https://api.ucloud.cn", "is not a region id"},
		{"中国", "is not a region id"},
	} {
		check(t, "region "+tc.v, ValidateRegion(tc.v), tc.wantErr)
	}
}

func TestValidateProjectID(t *testing.T) {
	for _, tc := range []struct {
		v, wantErr string
	}{
		{"", ""}, // the default project
		{"org-abc123", ""},
		{"ORG-ABC", ""},
		{strings.Repeat("a", 64), ""},
		{strings.Repeat("a", 65), "is not a project id"},
		{"org abc", "is not a project id"},
		{"org_abc", "is not a project id"},
		{"org-abc\n", "is not a project id"},
		{"org-ä", "is not a project id"},
	} {
		check(t, "project "+tc.v, ValidateProjectID(tc.v), tc.wantErr)
	}
}

func TestValidateOsTypeAndName(t *testing.T) {
	for _, tc := range []struct {
		v, wantErr string
	}{
		{"CentOS", ""},
		{"centos", ""},
		{"WINDOWS", ""},
		{"Other", ""},
		{"", "required"},
		{"Arch", "not a known OS type"},
		{"Cent\x00OS", "control character"},
	} {
		check(t, "os type "+tc.v, ValidateOsType(tc.v), tc.wantErr)
	}
	if err := ValidateOsType("Arch"); err == nil || !strings.Contains(err.Error(), "Other for anything else") {
		t.Errorf("an unknown OS type should point at Other: %v", err)
	}

	for _, tc := range []struct {
		osType, v, wantErr string
	}{
		{"CentOS", "CentOS 6.5 32位", ""},
		{"Ubuntu", "Ubuntu 22.04 64位", ""},
		{"Other", "Other", ""},
		{"other", "Other", ""},
		{"Other", "CentOS 7", "must be Other when --os-type is Other"},
		{"OTHER", "Debian", "must be Other when --os-type is Other"},
		{"CentOS", "", "required"},
		{"CentOS", "CentOS\t7", "control character"},
		{"CentOS", strings.Repeat("x", MaxOsNameLen+1), "at most 63"},
	} {
		check(t, "os name "+tc.osType+"/"+tc.v, ValidateOsName(tc.osType, tc.v), tc.wantErr)
	}
}

func TestValidateFormatAndCanonical(t *testing.T) {
	for _, tc := range []struct {
		in, canonical string
	}{
		{"qcow2", "qcow2"}, {"QCOW2", "qcow2"}, {"Qcow2", "qcow2"},
		{"raw", "RAW"}, {"Raw", "RAW"}, {"RAW", "RAW"},
		{"vmdk", "VMDK"}, {"vhd", "VHD"}, {"VhD", "VHD"},
	} {
		if err := ValidateFormat(tc.in); err != nil {
			t.Errorf("format %q: %v", tc.in, err)
		}
		got, ok := CanonicalFormat(tc.in)
		if !ok || got != tc.canonical {
			t.Errorf("CanonicalFormat(%q) = %q, %v; want %q", tc.in, got, ok, tc.canonical)
		}
	}
	for _, tc := range []struct {
		v, wantErr string
	}{
		{"", "required"},
		{"vhdx", `"vhdx" is not accepted; use one of qcow2, RAW, VMDK, VHD`},
		{"iso", "is not accepted"},
		{"qcow", "is not accepted"},
		{"qcow2 ", "is not accepted"},
	} {
		check(t, "format "+tc.v, ValidateFormat(tc.v), tc.wantErr)
	}
}

func TestValidateTagAndDescription(t *testing.T) {
	check(t, "tag empty", ValidateTag(""), "")
	check(t, "tag CJK", ValidateTag("业务组"), "")
	check(t, "tag 63", ValidateTag(strings.Repeat("t", MaxTagLen)), "")
	check(t, "tag 64", ValidateTag(strings.Repeat("t", MaxTagLen+1)), "at most 63")
	check(t, "tag control", ValidateTag("a\rb"), "control character (U+000D)")
	check(t, "description empty", ValidateDescription(""), "")
	check(t, "description 255", ValidateDescription(strings.Repeat("d", MaxDescriptionLen)), "")
	check(t, "description 256", ValidateDescription(strings.Repeat("d", MaxDescriptionLen+1)), "at most 255")
	check(t, "description newline", ValidateDescription("line1\nline2"), "control character")
}
