package lvm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func openSynthetic(t *testing.T, img []byte) *VolumeGroup {
	t.Helper()
	vg, err := Open(bytes.NewReader(img), int64(len(img)))
	if err != nil {
		t.Fatal(err)
	}
	return vg
}

func TestUnsupportedLayoutsAreNamed(t *testing.T) {
	vg := openSynthetic(t, smallPV.build(layoutsText))
	want := map[string]string{
		"root": "", "pool": "thin-pool", "thin": "thin", "mirr": "raid1",
		"snap": "snapshot", "snapshot0": "snapshot", "wide": "striped (2 stripes)", "pool_tdata": "",
	}
	if len(vg.LVs) != len(want) {
		t.Fatalf("%d LVs, want %d", len(vg.LVs), len(want))
	}
	for _, lv := range vg.LVs {
		if w, ok := want[lv.Name]; !ok || lv.Unsupported != w {
			t.Errorf("%s: Unsupported %q, want %q", lv.Name, lv.Unsupported, w)
		}
		if _, _, err := vg.Open(lv.Name); (err == nil) != (lv.Unsupported == "") {
			t.Errorf("%s: Open: %v", lv.Name, err)
		} else if err != nil && !strings.Contains(err.Error(), lv.Unsupported) {
			t.Errorf("%s: error %q does not name the layout", lv.Name, err)
		}
	}
	if tdata, _ := vg.LV("pool_tdata"); tdata.Visible {
		t.Error("pool_tdata should be hidden")
	}
	notes := strings.Join(vg.Notes, "\n")
	for _, n := range []string{"thin-pool", "raid1", "snapshot of root", "2 stripes"} {
		if !strings.Contains(notes, n) {
			t.Errorf("notes lack %q:\n%s", n, notes)
		}
	}
	if vg.Seqno != 7 || vg.ExtentSize != 1<<20 || vg.PVs[0].UUID != "Qm9Xq1-Abcd-EfGh-IjKl-MnOp-QrSt-UvWxYz" {
		t.Errorf("vg: %+v", vg)
	}
}

func TestSyntheticWrappedText(t *testing.T) {
	pv := smallPV
	pv.mdaSize = 8 << 10
	pv.textOff = pv.mdaSize - 1000 // the text continues after the header
	img := pv.build(layoutsText)
	copy(img[1<<20:], "root starts here")
	vg := openSynthetic(t, img)
	r, _, err := vg.Open("root")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if _, err := r.ReadAt(buf, 0); err != nil || string(buf) != "root starts here" {
		t.Errorf("root: %q %v", buf, err)
	}
}

func TestDamagedMetadata(t *testing.T) {
	good := smallPV.build(layoutsText)
	for _, tc := range []struct {
		name   string
		damage func(img []byte)
		want   string
	}{
		{"label checksum", func(img []byte) { img[512+100]++ }, "label checksum"},
		{"area header checksum", func(img []byte) { img[4096+300]++ }, "checksum mismatch"},
		{"text checksum", func(img []byte) { img[4096+512+10]++ }, "text checksum"},
		{"text size", func(img []byte) {
			binary.LittleEndian.PutUint64(img[4096+48:], 1<<40)
			binary.LittleEndian.PutUint32(img[4096:], lvmCRC(img[4096+4:4096+512]))
		}, "does not fit"},
		{"area outside", func(img []byte) {
			binary.LittleEndian.PutUint64(img[512+32+72:], 1<<40)
			binary.LittleEndian.PutUint32(img[512+16:], lvmCRC(img[512+20:1024]))
		}, "outside"},
		{"no label", func(img []byte) { clear(img[512:520]) }, "no LVM2 label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := bytes.Clone(good)
			tc.damage(img)
			_, err := Open(bytes.NewReader(img), int64(len(img)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestBadMetadataText(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"gap between segments", "start_extent = 0\nextent_count = 2\n\ntype = \"striped\"\nstripe_count = 1\t# linear", "start_extent = 1\nextent_count = 2\n\ntype = \"striped\"\nstripe_count = 1\t# linear", "gap"},
		{"extent past PV", "\"pv0\", 5\n", "\"pv0\", 7\n", "past the end"},
		{"unknown PV", "\"pv0\", 0\n", "\"pv9\", 0\n", "not a PV"},
		{"huge extents", "extent_size = 2048", "extent_size = 99999999999", "extent size"},
		{"overflowing count", "extent_count = 10\n", "extent_count = 9223372036854775807\n", "extent_count"},
		{"unclosed", "\n}\n# Generated", "\n# Generated", "not closed"},
		{"bad number", "seqno = 7", "seqno = 7x", "expected"},
		{"deep", "flags = []", strings.Repeat("a {", 40), "nested"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(layoutsText, tc.from) {
				t.Fatalf("layoutsText lacks %q", tc.from)
			}
			text := strings.Replace(layoutsText, tc.from, tc.to, 1)
			img := smallPV.build(text)
			_, err := Open(bytes.NewReader(img), int64(len(img)))
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a CorruptError with %q", err, tc.want)
			}
		})
	}
}

func TestConfigParser(t *testing.T) {
	root, err := parseConfig([]byte(`a { b = "x\"y\\z" # not = "this"
c = [1, -2, "s", [3]]
d = 1.5
e { }
}
`))
	if err != nil {
		t.Fatal(err)
	}
	a := root.sub("a")
	if s, _ := a.str("b"); s != `x"y\z` {
		t.Errorf("b = %q", s)
	}
	if v, _ := a.get("c"); v.kind != kindList || len(v.list) != 4 || v.list[1].num != -2 || v.list[3].kind != kindList {
		t.Errorf("c = %+v", v)
	}
	if v, _ := a.get("d"); v.kind != kindFloat {
		t.Errorf("d = %+v", v)
	}
	if _, ok := a.get("not"); ok {
		t.Error("a comment was parsed")
	}
	if a.sub("e") == nil {
		t.Error("empty section e missing")
	}
}

func TestAssembleWithAMetadatalessPV(t *testing.T) {
	const otherUUID = "ZZ9Xq1AbcdEfGhIjKlMnOpQrStUvWxYz"
	text := strings.Replace(layoutsText, "\n}\n}\n\nlogical_volumes {", `
}

pv1 {
id = "ZZ9Xq1-Abcd-EfGh-IjKl-MnOp-QrSt-UvWxYz"
device = "/dev/sdb1"
status = ["ALLOCATABLE"]
flags = []
dev_size = 16384
pe_start = 2048
pe_count = 7
}
}

logical_volumes {

far-away {
id = "f4r000-0000-0000-0000-0000-0000-000000"
status = ["READ", "WRITE", "VISIBLE"]
flags = []
segment_count = 1

segment1 {
start_extent = 0
extent_count = 3

type = "striped"
stripe_count = 1

stripes = [
"pv1", 4
]
}
}
`, 1)
	withMetadata := smallPV.build(text)
	noMetadata := synthPV{uuid: otherUUID, size: 8 << 20, peStart: 1 << 20}.build("")
	copy(noMetadata[5<<20:], "far starts here")
	blank := make([]byte, 1<<20)
	dev := func(b []byte) Device { return Device{R: bytes.NewReader(b), Size: int64(len(b))} }

	vgs, problems := Assemble([]Device{dev(noMetadata), dev(blank), dev(withMetadata)})
	if len(vgs) != 1 || len(problems) != 0 {
		t.Fatalf("%d VGs, problems %v", len(vgs), problems)
	}
	vg := vgs[0]
	r, size, err := vg.Open("far-away")
	if err != nil || size != 3<<20 {
		t.Fatalf("far-away: %v, %d bytes", err, size)
	}
	buf := make([]byte, 15)
	if _, err := r.ReadAt(buf, 0); err != nil || string(buf) != "far starts here" {
		t.Errorf("far-away: %q %v", buf, err)
	}
	for path, want := range map[string]string{
		"/dev/mapper/vgsyn-far--away": "far-away", "/dev/vgsyn/root": "root",
		"/dev/mapper/vgsyn-far-away": "", "/dev/sda1": "", "/dev/vgsyn/nope": "",
	} {
		lv, ok := vg.LVForDevice(path)
		if ok != (want != "") || (ok && lv.Name != want) {
			t.Errorf("LVForDevice(%q) = %v %v, want %q", path, lv, ok, want)
		}
	}

	_, problems = Assemble([]Device{dev(noMetadata)})
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "has no metadata") {
		t.Errorf("a lone metadata-less PV: %v", problems)
	}
}
