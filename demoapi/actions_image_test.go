package demoapi

import (
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func importParams() apiclient.Params {
	return apiclient.Params{
		"Action":    "ImportCustomImage",
		"Region":    "cn-bj2",
		"ImageName": "centos-golden",
		"UFileUrl":  "https://mybucket.cn-bj.ufileos.com/img/centos.qcow2",
		"OsType":    "CentOS",
		"OsName":    "CentOS 7.9 64位",
		"Format":    "qcow2",
		"Auth":      "true",
	}
}

// importImage imports with extra overrides and returns the ImageId.
func importImage(t *testing.T, s *Server, override apiclient.Params) string {
	t.Helper()
	p := importParams()
	maps.Copy(p, override)
	a := call(t, s, p)
	if code := a.retCode(t); code != 0 {
		t.Fatalf("import RetCode %d: %s", code, a.raw)
	}
	return a.json["ImageId"].(string)
}

func TestImportCustomImage(t *testing.T) {
	tests := []struct {
		name    string
		set     apiclient.Params // "" deletes the parameter (empty values are not sent)
		want    int
		wantMsg string
	}{
		{"valid", nil, 0, ""},
		{"missing Region", apiclient.Params{"Region": ""}, 230, "[Region]"},
		{"missing ImageName", apiclient.Params{"ImageName": ""}, 230, "[ImageName]"},
		{"missing UFileUrl", apiclient.Params{"UFileUrl": ""}, 230, "[UFileUrl]"},
		{"missing OsType", apiclient.Params{"OsType": ""}, 230, "[OsType]"},
		{"missing OsName", apiclient.Params{"OsName": ""}, 230, "[OsName]"},
		{"missing Format", apiclient.Params{"Format": ""}, 230, "[Format]"},
		{"missing Auth", apiclient.Params{"Auth": ""}, 230, "[Auth]"},
		{"unknown Region", apiclient.Params{"Region": "cn-nowhere"}, 230, "[Region]"},
		{"Format QCOW2 is not qcow2", apiclient.Params{"Format": "QCOW2"}, 230, "[Format]"},
		{"Format vmdk lowercase", apiclient.Params{"Format": "vmdk"}, 230, "[Format]"},
		{"Format RAW", apiclient.Params{"Format": "RAW"}, 0, ""},
		{"Format VHD", apiclient.Params{"Format": "VHD"}, 0, ""},
		{"Format VMDK", apiclient.Params{"Format": "VMDK"}, 0, ""},
		{"Auth 1", apiclient.Params{"Auth": "1"}, 8300, ""},
		{"Auth false", apiclient.Params{"Auth": "false"}, 8300, ""},
		{"Other needs OsName Other", apiclient.Params{"OsType": "Other"}, 230, "[OsName]"},
		{"Other/Other", apiclient.Params{"OsType": "Other", "OsName": "Other"}, 0, ""},
		{"unknown ProjectId", apiclient.Params{"ProjectId": "org-nope"}, 292, ""},
		{"known ProjectId", apiclient.Params{"ProjectId": "org-demo02"}, 0, ""},
		{"UFileUrl not a URL", apiclient.Params{"UFileUrl": "img/centos.qcow2"}, 230, "[UFileUrl]"},
		{"region outside GetRegion subset", apiclient.Params{"Region": "mx-mex"}, 0, ""},
	}
	idPattern := regexp.MustCompile(`^uimage-[a-z0-9]{8}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, Options{})
			p := importParams()
			maps.Copy(p, tt.set)
			a := call(t, s, p)
			if got := a.retCode(t); got != tt.want {
				t.Fatalf("RetCode = %d, want %d: %s", got, tt.want, a.raw)
			}
			if a.json["Action"] != "ImportCustomImageResponse" {
				t.Errorf("Action = %v", a.json["Action"])
			}
			msg, _ := a.json["Message"].(string)
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("Message = %q, want it to name %s", msg, tt.wantMsg)
			}
			if tt.want != 0 {
				if n := len(s.Images()); n != 0 {
					t.Errorf("failed import recorded %d images", n)
				}
				return
			}
			if id, _ := a.json["ImageId"].(string); !idPattern.MatchString(id) {
				t.Errorf("ImageId = %q", id)
			}
		})
	}
}

func TestImportRecordsImage(t *testing.T) {
	s := newServer(t, Options{})
	id := importImage(t, s, apiclient.Params{"Tag": "web", "ImageDescription": "golden image"})
	id2 := importImage(t, s, nil)
	if id == id2 {
		t.Fatal("identical imports share an id: the action must not be idempotent")
	}
	ims := s.Images()
	if len(ims) != 2 {
		t.Fatalf("Images = %d", len(ims))
	}
	im := ims[0]
	want := Image{ImageID: id, ImageName: "centos-golden", OsType: "CentOS", OsName: "CentOS 7.9 64位",
		Format: "qcow2", Region: "cn-bj2", Zone: "cn-bj2-02", ProjectID: "org-demo01", Tag: "web",
		Description: "golden image", UFileURL: importParams()["UFileUrl"], State: "Making",
		CreateTime: im.CreateTime}
	if im != want {
		t.Errorf("image = %+v\nwant    %+v", im, want)
	}
	if im.CreateTime.IsZero() || ims[1].Tag != "Default" {
		t.Errorf("CreateTime %v, default Tag %q", im.CreateTime, ims[1].Tag)
	}
}

// describe returns the ImageSet rows and TotalCount of one DescribeImage.
func describe(t *testing.T, s *Server, p apiclient.Params) ([]map[string]any, int) {
	t.Helper()
	q := apiclient.Params{"Action": "DescribeImage", "Region": "cn-bj2"}
	maps.Copy(q, p)
	a := call(t, s, q)
	if code := a.retCode(t); code != 0 {
		t.Fatalf("DescribeImage RetCode %d: %s", code, a.raw)
	}
	var rows []map[string]any
	for _, r := range a.json["ImageSet"].([]any) {
		rows = append(rows, r.(map[string]any))
	}
	return rows, toInt(t, a.json["TotalCount"])
}

func TestImageLifecycle(t *testing.T) {
	tests := []struct {
		name       string
		polls      int
		url        string
		wantMaking int
		final      string
	}{
		{"default three polls", 0, "", 3, "Available"},
		{"one poll", 1, "", 1, "Available"},
		{"settled at once", -1, "", 0, "Available"},
		{"unavailable", 2, "https://b.cn-bj.ufileos.com/unavailable.qcow2", 2, "Unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, Options{MakingPolls: tt.polls})
			over := apiclient.Params{}
			if tt.url != "" {
				over["UFileUrl"] = tt.url
			}
			id := importImage(t, s, over)
			var states []string
			for range tt.wantMaking + 2 {
				rows, total := describe(t, s, apiclient.Params{"ImageId": id})
				if total != 1 || len(rows) != 1 || rows[0]["ImageId"] != id {
					t.Fatalf("rows = %v, total %d", rows, total)
				}
				states = append(states, rows[0]["State"].(string))
			}
			for i, st := range states {
				want := tt.final
				if i < tt.wantMaking {
					want = "Making"
				}
				if st != want {
					t.Fatalf("states = %v: poll %d is %s, want %s", states, i+1, st, want)
				}
			}
		})
	}
}

func TestDescribeImageUnknownID(t *testing.T) {
	s := newServer(t, Options{})
	a := call(t, s, apiclient.Params{"Action": "DescribeImage", "Region": "sg", "ImageId": "uimage-notthere"})
	if a.retCode(t) != 0 || toInt(t, a.json["TotalCount"]) != 0 {
		t.Fatalf("answer %s", a.raw)
	}
	if !strings.Contains(a.raw, `"ImageSet":[]`) {
		t.Errorf("ImageSet must be an empty array, not null: %s", a.raw)
	}
}

func TestDescribeImageListing(t *testing.T) {
	s := newServer(t, Options{})
	older := importImage(t, s, nil)
	newer := importImage(t, s, apiclient.Params{"OsType": "Windows", "OsName": "Windows 2019 64位"})
	staging := importImage(t, s, apiclient.Params{"ProjectId": "org-demo02"})
	importImage(t, s, apiclient.Params{"Region": "hk"})

	ids := func(rows []map[string]any) string {
		var out []string
		for _, r := range rows {
			out = append(out, r["ImageId"].(string))
		}
		return strings.Join(out, ",")
	}
	all := newer + "," + older + ",uimage-base0c79,uimage-base2204"
	tests := []struct {
		name      string
		p         apiclient.Params
		wantIDs   string
		wantTotal int
	}{
		{"all types, newest custom first", nil, all, 4},
		{"custom only", apiclient.Params{"ImageType": "Custom"}, newer + "," + older, 2},
		{"base only", apiclient.Params{"ImageType": "Base"}, "uimage-base0c79,uimage-base2204", 2},
		{"business none", apiclient.Params{"ImageType": "Business"}, "", 0},
		{"other project", apiclient.Params{"ProjectId": "org-demo02", "ImageType": "Custom"}, staging, 1},
		{"other project's id hidden", apiclient.Params{"ImageId": staging}, "", 0},
		{"base by id", apiclient.Params{"ImageId": "uimage-base2204"}, "uimage-base2204", 1},
		{"windows only", apiclient.Params{"OsType": "Windows"}, newer, 1},
		{"paging", apiclient.Params{"Offset": "1", "Limit": "2"}, older + ",uimage-base0c79", 4},
		{"offset past end", apiclient.Params{"Offset": "9"}, "", 4},
		{"zone in region", apiclient.Params{"Zone": "cn-bj2-05", "ImageType": "Custom"}, newer + "," + older, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, total := describe(t, s, tt.p)
			if got := ids(rows); got != tt.wantIDs || total != tt.wantTotal {
				t.Errorf("ids = %s (total %d), want %s (total %d)", got, total, tt.wantIDs, tt.wantTotal)
			}
		})
	}

	rows, _ := describe(t, s, apiclient.Params{"ImageId": newer})
	r := rows[0]
	for _, k := range []string{"ImageId", "ImageName", "ImageType", "OsType", "OsName", "State",
		"ImageSize", "CreateTime", "ImageDescription", "Zone"} {
		if _, ok := r[k]; !ok {
			t.Errorf("row lacks %s: %v", k, r)
		}
	}
	if r["ImageType"] != "Custom" || r["OsType"] != "Windows" || r["Zone"] != "cn-bj2-02" {
		t.Errorf("row = %v", r)
	}
	if rows, _ := describe(t, s, apiclient.Params{"ImageId": older}); rows[0]["OsType"] != "Linux" {
		t.Errorf("CentOS import reported as OsType %v, want Linux", rows[0]["OsType"])
	}
}

func TestDescribeImageErrors(t *testing.T) {
	tests := []struct {
		name string
		p    apiclient.Params
		want int
		msg  string
	}{
		{"missing Region", apiclient.Params{"Region": ""}, 230, "[Region]"},
		{"unknown Region", apiclient.Params{"Region": "mars-1"}, 230, "[Region]"},
		{"zone of another region", apiclient.Params{"Zone": "hk-02"}, 230, "[Zone]"},
		{"bad ImageType", apiclient.Params{"ImageType": "custom"}, 230, "[ImageType]"},
		{"bad OsType", apiclient.Params{"OsType": "CentOS"}, 230, "[OsType]"},
		{"bad Limit", apiclient.Params{"Limit": "ten"}, 230, "[Limit]"},
		{"negative Offset", apiclient.Params{"Offset": "-1"}, 230, "[Offset]"},
		{"unknown ProjectId", apiclient.Params{"ProjectId": "org-nope"}, 292, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, Options{})
			q := apiclient.Params{"Action": "DescribeImage", "Region": "cn-bj2"}
			maps.Copy(q, tt.p)
			a := call(t, s, q)
			if got := a.retCode(t); got != tt.want {
				t.Fatalf("RetCode = %d, want %d: %s", got, tt.want, a.raw)
			}
			if msg, _ := a.json["Message"].(string); !strings.Contains(msg, tt.msg) {
				t.Errorf("Message = %q, want %s", msg, tt.msg)
			}
		})
	}
}
