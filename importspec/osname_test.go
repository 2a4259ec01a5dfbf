package importspec

import "testing"

func TestOsNameWarning(t *testing.T) {
	for _, tc := range []struct {
		name string
		warn bool
	}{
		{"Ubuntu 24.04 64位", false},
		{"Rocky Linux 9 64位", false},
		{"CentOS 6.5 32位", false},
		{"Windows Server 2022 64位", false},
		{"Kylin V10 SP2 64位", true}, // no version number before 64位
		{"Other", false},
		{"", false},
		{"Ubuntu 24.04 64位Ubuntu 22.04 64位", true}, // a suggestion with typing appended
		{"My Linux 1.0", true},
		{"Ubuntu 22.04", true},
		{"ubuntu", true},
	} {
		if got := OsNameWarning(tc.name) != ""; got != tc.warn {
			t.Errorf("OsNameWarning(%q) warns = %v, want %v", tc.name, got, tc.warn)
		}
	}
}

// Flags get the same warning as the wizard.
func TestValidateWarnsOnOsName(t *testing.T) {
	s := Spec{Region: "cn-bj2", Name: "web", URL: "https://b.cn-bj2.ufileos.com/d.qcow2", OsType: "Ubuntu",
		OsName: "Ubuntu 24.04 64位Ubuntu 22.04 64位", Format: "qcow2"}
	warnings, err := s.Validate()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		if w == OsNameWarning(s.OsName) {
			return
		}
	}
	t.Errorf("no OS name warning in %q", warnings)
}
