package importspec

import (
	"fmt"
	"strings"
)

// Format is an image format the import accepts, with a one-line hint.
type Format struct {
	Name       string // canonical spelling, as sent
	Hint       string
	Extensions []string
}

// Formats are the accepted formats, in the order a picker shows them.
var Formats = []Format{
	{"qcow2", "QEMU/KVM copy-on-write; small, the usual choice", []string{".qcow2", ".qcow", ".img"}},
	{"RAW", "a plain byte-for-byte disk; large, imports as is", []string{".raw", ".img", ".dd", ".bin"}},
	{"VMDK", "VMware disk (stream-optimised or monolithic sparse)", []string{".vmdk"}},
	{"VHD", "Hyper-V / Virtual PC disk (not VHDX)", []string{".vhd"}},
}

// CanonicalFormat maps any spelling (qcow2, QCOW2, raw) to the one sent.
func CanonicalFormat(v string) (string, bool) {
	for _, f := range Formats {
		if strings.EqualFold(v, f.Name) {
			return f.Name, true
		}
	}
	return v, false
}

// FormatNames lists the canonical format names.
func FormatNames() []string {
	out := make([]string, len(Formats))
	for i, f := range Formats {
		out[i] = f.Name
	}
	return out
}

// ValidateFormat requires one of the accepted formats, in any case.
func ValidateFormat(v string) error {
	if err := required(v); err != nil {
		return err
	}
	if _, ok := CanonicalFormat(v); !ok {
		return fmt.Errorf("%q is not accepted; use one of %s", v, strings.Join(FormatNames(), ", "))
	}
	return nil
}

// OsTypeOther is for systems the console does not list: no initialisation.
const OsTypeOther = "Other"

// OsType is an operating system family with example versions for OsName.
type OsType struct {
	Name     string
	Examples []string
}

// OsTypes are the families the console offers, with common OsName values.
var OsTypes = []OsType{
	{"CentOS", []string{"CentOS 7.9 64位", "CentOS 8.5 64位", "CentOS 6.5 32位"}},
	{"Ubuntu", []string{"Ubuntu 24.04 64位", "Ubuntu 22.04 64位", "Ubuntu 20.04 64位"}},
	{"Debian", []string{"Debian 12 64位", "Debian 11 64位"}},
	{"RedHat", []string{"RedHat 9 64位", "RedHat 8 64位", "RedHat 7 64位"}},
	{"Rocky", []string{"Rocky Linux 9 64位", "Rocky Linux 8 64位"}},
	{"AlmaLinux", []string{"AlmaLinux 9 64位", "AlmaLinux 8 64位"}},
	{"openSUSE", []string{"openSUSE Leap 15 64位"}},
	{"Windows", []string{"Windows Server 2022 64位", "Windows Server 2019 64位", "Windows Server 2016 64位"}},
	{OsTypeOther, []string{OsTypeOther}},
}

// CanonicalOsType maps any case of a known family to its spelling.
func CanonicalOsType(v string) (string, bool) {
	for _, t := range OsTypes {
		if strings.EqualFold(v, t.Name) {
			return t.Name, true
		}
	}
	return v, false
}

// OsTypeNames lists the known families.
func OsTypeNames() []string {
	out := make([]string, len(OsTypes))
	for i, t := range OsTypes {
		out[i] = t.Name
	}
	return out
}

// OsNameExamples suggests OsName values for a family.
func OsNameExamples(osType string) []string {
	for _, t := range OsTypes {
		if strings.EqualFold(osType, t.Name) {
			return t.Examples
		}
	}
	return nil
}

// ValidateOsType requires one of the console's families. The API takes free
// text, but an unknown family gets no initialisation, which is what Other
// says honestly.
func ValidateOsType(v string) error {
	if err := required(v); err != nil {
		return err
	}
	if _, ok := CanonicalOsType(v); ok {
		return nil
	}
	if err := checkText(v, 32); err != nil {
		return err
	}
	return fmt.Errorf("%q is not a known OS type; use one of %s (Other for anything else)", v, strings.Join(OsTypeNames(), ", "))
}

// ValidateOsName requires a version, and Other exactly when the type is Other.
func ValidateOsName(osType, v string) error {
	if err := required(v); err != nil {
		return err
	}
	if strings.EqualFold(osType, OsTypeOther) && v != OsTypeOther {
		return fmt.Errorf("must be Other when --os-type is Other")
	}
	return checkText(v, MaxOsNameLen)
}
