package apiclient

import (
	"maps"
	"net/url"
	"strings"
	"testing"
)

const vectorPrivateKey = "46f09bb9fab4f12dfc160dae12273d5332b5debe"

// The published worked examples from docs/API.md.
func TestSignPublishedVectors(t *testing.T) {
	tests := []struct {
		name   string
		params Params
		want   string
	}{
		{
			name: "DescribeUHostInstance ucloudsomeone",
			params: Params{
				"PublicKey": "ucloudsomeone@example.com1296235120854146120",
				"Action":    "DescribeUHostInstance", "Region": "cn-bj2", "Limit": "10",
			},
			want: "cba5cf5ec4d4233d206b1b54951e3787350a642f",
		},
		{
			name: "DescribeUHostInstance someone",
			params: Params{
				"PublicKey": "someone@example.com1296235120854146120",
				"Action":    "DescribeUHostInstance", "Region": "cn-bj2", "Limit": "10",
			},
			want: "4201919d267504385deb93af19e0197870fed36b",
		},
		{
			name: "CreateUHostInstance",
			params: Params{
				"PublicKey": "ucloudsomeone@example.com1296235120854146120",
				"Action":    "CreateUHostInstance", "Region": "cn-bj2", "Zone": "cn-bj2-04",
				"ImageId": "f43736e1-65a5-4bea-ad2e-8a46e18883c2", "CPU": "2", "Memory": "2048",
				"DiskSpace": "10", "LoginMode": "Password", "Password": "VUNsb3VkLmNu",
				"Name": "Host01", "ChargeType": "Month", "Quantity": "1",
			},
			want: "4f9ef5df2abab2c6fccd1e9515cb7e2df8c6bb65",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sign(tt.params, vectorPrivateKey); got != tt.want {
				t.Errorf("Sign = %s, want %s", got, tt.want)
			}
		})
	}
}

// Derived vectors for ImportCustomImage. The expected hex was computed outside
// Go (python3: hashlib.sha1 over the byte-sorted key+value concatenation plus
// the private key), so a shared misunderstanding cannot make both sides agree.
const vectorPublicKey = "ucloudsomeone@example.com1296235120854146120"

func importVectorParams() Params {
	return Params{
		"PublicKey": vectorPublicKey, "Action": "ImportCustomImage",
		"Region": "cn-bj2", "ProjectId": "org-abc12", "ImageName": "my image",
		"UFileUrl": "https://mybucket.cn-bj.ufileos.com/img/centos.qcow2",
		"OsType":   "CentOS", "OsName": "CentOS 6.5 32位", "Format": "qcow2", "Auth": "true",
	}
}

func TestSignImportVectors(t *testing.T) {
	special := importVectorParams()
	// Values are signed raw: a signer that URL-encoded them (or decoded the
	// %2F already in the signed UFile URL) would produce a different hash.
	special["UFileUrl"] = "https://mybucket.cn-bj.ufileos.com/img/a b.qcow2?UCloudPublicKey=pub%2Fkey&Signature=ab/cd=&Expires=1700000000"
	special["Tag"] = "a&b=c?d/e%f"
	special["ImageDescription"] = "50% off / 测试 & more"

	withNoise := importVectorParams()
	withNoise["Tag"] = ""                      // empty: neither sent nor signed
	withNoise["Signature"] = "stale-signature" // never part of its own input

	tests := []struct {
		name   string
		params Params
		want   string
	}{
		{"space and CJK", importVectorParams(), "9d5e5f1b990493f3ed130cf7a5999bc9f03e738b"},
		{"& = ? / % in values", special, "a54905b4485720386c23d3aed05dc1075b5ccb2b"},
		{"empty value and Signature ignored", withNoise, "9d5e5f1b990493f3ed130cf7a5999bc9f03e738b"},
		{"byte order CPU < ChargeType", Params{"ChargeType": "Month", "CPU": "2"}, "c7a7cb3715e8d09be64ea23c1344e53c7682768b"},
		{"byte order Foo.10 < Foo.2", Params{"Foo.2": "y", "Foo.10": "x"}, "e157b24aae1ac7355715ee00531decfc002d699e"},
		{"no params beyond Action", Params{"Action": "GetRegion", "PublicKey": vectorPublicKey, "Zone": ""}, "f1b19c456b24b3ef433b90dc3b20debfd0de879b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sign(tt.params, vectorPrivateKey); got != tt.want {
				t.Errorf("Sign = %s, want %s", got, tt.want)
			}
		})
	}
}

// The order is plain byte order, not case-folded or numeric.
func TestSortedKeysByteOrder(t *testing.T) {
	p := Params{"ChargeType": "a", "CPU": "a", "Foo.2": "a", "Foo.10": "a", "region": "a", "Zone": "a", "Signature": "x", "Empty": ""}
	got := strings.Join(p.sortedKeys(), " ")
	want := "CPU ChargeType Foo.10 Foo.2 Zone region"
	if got != want {
		t.Errorf("sortedKeys = %q, want %q", got, want)
	}
}

func TestSignedReplacesSignatureAndDropsEmpty(t *testing.T) {
	p := Params{"Action": "GetRegion", "Zone": "", "Signature": "stale"}
	s := p.Signed(vectorPublicKey, vectorPrivateKey)
	if s["Signature"] != "f1b19c456b24b3ef433b90dc3b20debfd0de879b" {
		t.Errorf("Signature = %q", s["Signature"])
	}
	if _, ok := s["Zone"]; ok {
		t.Error("empty Zone kept in signed params")
	}
	if p["Signature"] != "stale" || len(p) != 3 {
		t.Error("Signed modified its receiver")
	}
	if strings.Contains(s.Encode(), "Zone") {
		t.Errorf("empty value encoded: %s", s.Encode())
	}
	// With no public key the params must not claim one: what is listed is sent.
	if v, ok := p.Signed("", vectorPrivateKey)["PublicKey"]; ok {
		t.Errorf("PublicKey %q listed though empty", v)
	}
}

// FuzzSignEncodeRoundTrip checks what the server does: it decodes the form
// body and re-signs what it decoded. Any escaping the encoder gets wrong, or
// any value the signer sees differently from the wire, breaks the equality.
func FuzzSignEncodeRoundTrip(f *testing.F) {
	f.Add("Tag", "a&b=c?d/e%f", "CentOS 6.5 32位", "https://b.cn-bj.ufileos.com/a b?S=x%2By&E=1", "pub", "priv")
	f.Add("ImageName", "my image+1", "Other", "https://b.sg.ufileos.com/k", "someone@example.com", "46f0")
	f.Add("Foo.10", "%zz%", "\x00\r\n\t", ";a;b", "a=b&c", "")
	f.Add("Signature", "forged", "", "", "", "k")
	f.Add("", "empty key", "\xff\xfe", "+%2B+", "", "")
	f.Fuzz(func(t *testing.T, key, value, osName, ufileURL, publicKey, privateKey string) {
		p := Params{"Action": "ImportCustomImage", "Auth": "true", key: value, "OsName": osName, "UFileUrl": ufileURL}
		signed := p.Signed(publicKey, privateKey)
		got, err := url.ParseQuery(signed.Encode())
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", signed.Encode(), err)
		}
		decoded := make(Params, len(got))
		for k, vs := range got {
			if len(vs) != 1 {
				t.Fatalf("key %q sent %d times", k, len(vs))
			}
			decoded[k] = vs[0]
		}
		if !maps.Equal(decoded, signed) {
			t.Fatalf("decoded %q, signed %q", decoded, signed)
		}
		if re := Sign(decoded, privateKey); re != signed["Signature"] {
			t.Fatalf("re-signed %s, sent %s", re, signed["Signature"])
		}
	})
}

func BenchmarkSignImport(b *testing.B) {
	p := importVectorParams()
	b.ReportAllocs()
	for b.Loop() {
		Sign(p, vectorPrivateKey)
	}
}
