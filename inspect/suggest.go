package inspect

import (
	"strings"
)

// distro is how one os-release ID maps onto the API's OsType and the
// console's OS names.
type distro struct {
	osType string
	names  []string // spellings of the name in OsName, preferred first
	family string   // rhel, debian, suse, windows, other
	// versionParts: how much of the version the console's names carry.
	versionParts int
}

var distros = map[string]distro{
	"centos":              {"CentOS", []string{"CentOS"}, "rhel", 2},
	"rhel":                {"RedHat", []string{"RedHat", "Red Hat", "RHEL"}, "rhel", 2},
	"rocky":               {"Rocky", []string{"Rocky Linux", "Rocky"}, "rhel", 2},
	"almalinux":           {"AlmaLinux", []string{"AlmaLinux", "Alma Linux"}, "rhel", 2},
	"ubuntu":              {"Ubuntu", []string{"Ubuntu"}, "debian", 2},
	"debian":              {"Debian", []string{"Debian"}, "debian", 1},
	"opensuse-leap":       {"openSUSE", []string{"openSUSE Leap", "openSUSE"}, "suse", 2},
	"opensuse":            {"openSUSE", []string{"openSUSE"}, "suse", 2},
	"opensuse-tumbleweed": {"openSUSE", []string{"openSUSE Tumbleweed"}, "suse", 0},
	"sles":                {"openSUSE", []string{"SUSE Linux Enterprise Server", "SLES"}, "suse", 2},
	"windows":             {"Windows", []string{"Windows"}, "windows", 0},
}

// osTypeFamily maps the API's OsType values onto families, for the
// mismatch check.
var osTypeFamily = map[string]string{
	"centos": "rhel", "redhat": "rhel", "rocky": "rhel", "almalinux": "rhel",
	"ubuntu": "debian", "debian": "debian",
	"opensuse": "suse", "suse": "suse",
	"windows": "windows",
}

// familyOf returns the family of a detected os-release ID; "other" for
// systems the console does not list.
func familyOf(id string, idLike string) string {
	if d, ok := distros[id]; ok {
		return d.family
	}
	for _, like := range strings.Fields(idLike) {
		switch like {
		case "rhel", "centos", "fedora":
			return "rhel"
		case "debian", "ubuntu":
			return "debian"
		case "suse", "opensuse":
			return "suse"
		}
	}
	return "other"
}

// suggest builds OsType and OsName for a detected OS, preferring a name
// from the region's base images when one matches exactly.
func suggest(id *osIdentity, baseNames []string) *Suggestion {
	if id == nil {
		return nil
	}
	d, ok := distros[id.ID]
	if !ok {
		return &Suggestion{OsType: "Other", OsName: "Other"}
	}
	if d.osType == "Windows" {
		return &Suggestion{OsType: "Windows"}
	}
	bits := "64位"
	if id.Bits == 32 {
		bits = "32位"
	}
	version := id.Version
	if version == "" {
		version = id.VersionID
	}
	var candidates []string
	for _, name := range d.names {
		for _, v := range versionForms(version, d.versionParts) {
			candidates = append(candidates, strings.TrimSpace(name+" "+v)+" "+bits)
		}
	}
	for _, c := range candidates {
		for _, b := range baseNames {
			if normName(b) == normName(c) {
				return &Suggestion{OsType: d.osType, OsName: b}
			}
		}
	}
	return &Suggestion{OsType: d.osType, OsName: candidates[0]}
}

// versionForms: the preferred form of the version first, then shorter ones
// ("7.9.2009" with 2 parts → "7.9", "7").
func versionForms(v string, parts int) []string {
	v = versionNum.FindString(v)
	if v == "" || parts == 0 {
		return []string{""}
	}
	f := strings.Split(v, ".")
	var out []string
	for n := min(parts, len(f)); n >= 1; n-- {
		out = append(out, strings.Join(f[:n], "."))
	}
	return out
}

func normName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// declaredFamily maps a declared OsType onto its family; "" for Other or
// an unknown value (nothing to compare).
func declaredFamily(osType string) string {
	return osTypeFamily[strings.ToLower(strings.TrimSpace(osType))]
}
