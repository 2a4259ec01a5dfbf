package imageformat

import "testing"

func TestContradicts(t *testing.T) {
	qcow := Result{Format: QCOW2, Accepted: true, EndChecked: true}
	raw := Result{Format: RAW, Accepted: true, EndChecked: true}
	rawNoEnd := Result{Format: RAW, Accepted: true}
	vhd := Result{Format: VHD, Accepted: true, EndChecked: true}
	tests := []struct {
		name     string
		r        Result
		declared string
		want     bool
	}{
		{"same", qcow, "qcow2", false},
		{"same, other case", qcow, "QCOW2", false},
		{"qcow2 declared VMDK", qcow, "VMDK", true},
		{"qcow2 declared RAW", qcow, "RAW", true},
		{"RAW declared qcow2", raw, "qcow2", true},
		{"RAW declared VMDK", raw, "VMDK", true},
		{"RAW declared VHD, end seen", raw, "VHD", true},
		{"RAW declared VHD, end unknown", rawNoEnd, "VHD", false},
		{"RAW declared raw", raw, "raw", false},
		{"VHD declared RAW", vhd, "RAW", true},
		{"nothing declared", qcow, "", false},
		{"nothing sniffed", Result{}, "qcow2", false},
	}
	for _, tc := range tests {
		if got := tc.r.Contradicts(tc.declared); got != tc.want {
			t.Errorf("%s: Contradicts = %v, want %v", tc.name, got, tc.want)
		}
		if msg := tc.r.Mismatch(tc.declared); (msg != "") != tc.want {
			t.Errorf("%s: Mismatch = %q", tc.name, msg)
		}
	}
	want := "the object is qcow2 but --format says VMDK; fix --format or use --skip-check"
	if got := qcow.Mismatch("VMDK"); got != want {
		t.Errorf("Mismatch = %q, want %q", got, want)
	}
}

func TestImportable(t *testing.T) {
	for _, f := range []string{"qcow2", "QCOW2", "RAW", "raw", "VHD", "vmdk"} {
		if !Importable(f) {
			t.Errorf("Importable(%q) = false", f)
		}
	}
	for _, f := range []string{"VHDX", "ISO", "gzip", "", "qcow"} {
		if Importable(f) {
			t.Errorf("Importable(%q) = true", f)
		}
	}
}

func TestSummary(t *testing.T) {
	r := Result{Format: QCOW2, Details: []string{"qcow2 v3, virtual size 20 GiB"}}
	if got := r.Summary(); got != "qcow2 (qcow2 v3, virtual size 20 GiB)" {
		t.Errorf("Summary = %q", got)
	}
	if got := (Result{Format: RAW}).Summary(); got != "RAW" {
		t.Errorf("Summary = %q", got)
	}
}
