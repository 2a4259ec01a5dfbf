package importspec

import (
	"strings"
	"testing"
)

func TestValidateURL(t *testing.T) {
	for _, tc := range []struct {
		name, v   string
		allowHTTP bool
		wantErr   string
	}{
		{"public https", "https://mybucket.cn-bj.ufileos.com/img/centos.qcow2", false, ""},
		{"signed URL", "https://mybucket.sg.ufileos.com/disk.raw?UCloudPublicKey=abc&Signature=x%2By&Expires=1700000000", false, ""},
		{"encoded space", "https://mybucket.sg.ufileos.com/my%20disk.raw", false, ""},
		{"CJK key", "https://mybucket.sg.ufileos.com/镜像.qcow2", false, ""},
		{"other host", "https://example.com/disk.qcow2", false, ""},
		{"http refused", "http://mybucket.cn-bj.ufileos.com/x.qcow2", false, "uses http; use https (or pass --allow-http"},
		{"http allowed", "http://mybucket.cn-bj.ufileos.com/x.qcow2", true, ""},
		{"HTTPS upper", "HTTPS://mybucket.cn-bj.ufileos.com/x.qcow2", false, ""},
		{"no scheme", "mybucket.cn-bj.ufileos.com/x.qcow2", false, "needs https:// in front"},
		{"ftp", "ftp://mybucket.cn-bj.ufileos.com/x.qcow2", false, `scheme "ftp" is not supported`},
		{"no host", "https:///x.qcow2", false, "has no host"},
		{"port only", "https://:443/x.qcow2", false, "has no host"},
		{"no key", "https://mybucket.cn-bj.ufileos.com", false, "has no object key"},
		{"slash only", "https://mybucket.cn-bj.ufileos.com/", false, "has no object key"},
		{"slashes only", "https://mybucket.cn-bj.ufileos.com///", false, "has no object key"},
		{"query, no key", "https://mybucket.cn-bj.ufileos.com/?Expires=1", false, "has no object key"},
		{"space", "https://mybucket.cn-bj.ufileos.com/my disk.qcow2", false, "contains a space"},
		{"tab", "https://mybucket.cn-bj.ufileos.com/my\tdisk.qcow2", false, "control character"},
		{"newline", "https://mybucket.cn-bj.ufileos.com/x.qcow2\n", false, "control character"},
		{"userinfo", "https://user:pass@mybucket.cn-bj.ufileos.com/x.qcow2", false, "must not contain a user name or password"},
		{"user only", "https://user@mybucket.cn-bj.ufileos.com/x.qcow2", false, "must not contain a user name"},
		{"empty", "", false, "required"},
		{"too long", "https://b.sg.ufileos.com/" + strings.Repeat("k", MaxURLLen), false, "at most 2048"},
		{"unparseable", "https://b.sg.ufileos.com:port/x", false, "is not a URL"},
	} {
		check(t, tc.name, ValidateURL(tc.v, tc.allowHTTP), tc.wantErr)
	}
}

func TestParseUFileURL(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want UFileLocation
	}{
		{"https://mybucket.cn-bj.ufileos.com/img/centos.qcow2",
			UFileLocation{Bucket: "mybucket", Label: "cn-bj", Key: "img/centos.qcow2", Known: true}},
		{"https://b.sg.ufileos.com/disk.raw?UCloudPublicKey=k&Signature=s&Expires=1",
			UFileLocation{Bucket: "b", Label: "sg", Key: "disk.raw", Known: true}},
		{"https://MyBucket.HK.UFileOS.com/a.vmdk",
			UFileLocation{Bucket: "mybucket", Label: "hk", Key: "a.vmdk", Known: true}},
		{"http://mybucket.internal-cn-sh2-01.ufileos.com/x.qcow2",
			UFileLocation{Bucket: "mybucket", Label: "cn-sh2", Key: "x.qcow2", Known: true}},
		{"http://mybucket.internal-hk.ufileos.com/x.qcow2",
			UFileLocation{Bucket: "mybucket", Label: "hk", Key: "x.qcow2", Known: true}},
		{"https://mybucket.ufile.ucloud.cn/old/x.vhd",
			UFileLocation{Bucket: "mybucket", Key: "old/x.vhd", Known: true}},
		{"https://mybucket.ufile.ucloud.com.cn/x.vhd",
			UFileLocation{Bucket: "mybucket", Key: "x.vhd", Known: true}},
		{"https://example.com/x.qcow2", UFileLocation{Key: "x.qcow2"}},
		{"https://localhost/x.qcow2", UFileLocation{Key: "x.qcow2"}},
		{"https://a.b.cn-bj.ufileos.com/x", UFileLocation{Key: "x"}}, // dotted label: not a UFile host shape
		{"https://ufileos.com.evil.example/x", UFileLocation{Key: "x"}},
	} {
		got, err := ParseUFileURL(tc.raw)
		if err != nil {
			t.Errorf("ParseUFileURL(%q): %v", tc.raw, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseUFileURL(%q)\n got %+v\nwant %+v", tc.raw, got, tc.want)
		}
	}
}

func TestUFileLabel(t *testing.T) {
	for region, want := range map[string]string{"cn-bj2": "cn-bj", "sg": "sg", "hk": "hk", "cn-sh2": "cn-sh2"} {
		if got := UFileLabel(region); got != want {
			t.Errorf("UFileLabel(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestURLWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, url, region, format string
		want                      []string // substrings, one per expected warning, in order
	}{
		{"cn-bj2 with cn-bj label", "https://b.cn-bj.ufileos.com/x.qcow2", "cn-bj2", "qcow2", nil},
		{"same label", "https://b.sg.ufileos.com/x.qcow2", "sg", "qcow2", nil},
		{"legacy host, any region", "https://b.ufile.ucloud.cn/x.qcow2", "cn-sh2", "qcow2", nil},
		{"no region yet", "https://b.hk.ufileos.com/x.qcow2", "", "qcow2", nil},
		{"hk object, sg image", "https://b.hk.ufileos.com/x.qcow2", "sg", "qcow2",
			[]string{"the object is in UFile region hk but the image goes to sg"}},
		{"cn-bj2 label used as is", "https://b.cn-bj2.ufileos.com/x.qcow2", "cn-bj2", "qcow2",
			[]string{"UFile's hosts for region cn-bj2 are *.cn-bj.ufileos.com, not *.cn-bj2.ufileos.com"}},
		{"non-UFile host", "https://example.com/x.qcow2", "sg", "qcow2",
			[]string{"example.com is not a UFile host"}},
		{"internal https", "https://b.internal-cn-sh2-01.ufileos.com/x.qcow2", "cn-sh2", "qcow2",
			[]string{"UFile internal hosts do not serve HTTPS"}},
		{"internal http", "http://b.internal-cn-sh2-01.ufileos.com/x.qcow2", "cn-sh2", "qcow2", nil},
		{"vmdk declared qcow2", "https://b.sg.ufileos.com/x.vmdk", "sg", "qcow2",
			[]string{"ends in .vmdk but the format is qcow2"}},
		{"extension case", "https://b.sg.ufileos.com/X.VMDK", "sg", "vmdk", nil},
		{".img as RAW", "https://b.sg.ufileos.com/x.img", "sg", "RAW", nil},
		{".img as qcow2", "https://b.sg.ufileos.com/x.img", "sg", "qcow2", nil},
		{".vhd as VMDK", "https://b.sg.ufileos.com/x.vhd", "sg", "VMDK", []string{"ends in .vhd but the format is VMDK"}},
		{"vhdx", "https://b.sg.ufileos.com/x.vhdx", "sg", "VHD", []string{"VHDX is not accepted; convert it with `qemu-img convert"}},
		{"gz", "https://b.sg.ufileos.com/x.qcow2.gz", "sg", "qcow2", []string{"ends in .gz: compressed or archived images are not accepted"}},
		{"ova", "https://b.sg.ufileos.com/x.ova", "sg", "VMDK", []string{"ends in .ova"}},
		{"iso", "https://b.sg.ufileos.com/install.iso", "sg", "RAW", []string{"ISO installer is not a disk image"}},
		{"no extension", "https://b.sg.ufileos.com/disk", "sg", "qcow2", nil},
		{"unknown extension", "https://b.sg.ufileos.com/disk.xyz", "sg", "qcow2", nil},
		{"signed URL ext from path", "https://b.sg.ufileos.com/x.vmdk?Signature=a.qcow2", "sg", "VMDK", nil},
		{"two at once", "https://example.com/x.iso", "sg", "RAW", []string{"not a UFile host", "ISO installer"}},
	} {
		got := URLWarnings(tc.url, tc.region, tc.format)
		if len(got) != len(tc.want) {
			t.Errorf("%s: warnings %q, want %d matching %q", tc.name, got, len(tc.want), tc.want)
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: warning %d = %q, want it to contain %q", tc.name, i, got[i], w)
			}
		}
	}
}
