package inspect

import (
	"strings"
)

// checkMismatch blocks a declared OS type of another family than the
// detected one.
func (s *session) checkMismatch() {
	declared := declaredFamily(s.opts.DeclaredOSType)
	if declared == "" {
		return
	}
	detected, name, pretty := "", "", ""
	switch {
	case s.windows:
		detected, name, pretty = "windows", "Windows", "an NTFS system disk"
	case s.osid != nil:
		detected = familyOf(s.osid.ID, s.osid.IDLike)
		pretty = s.osid.PrettyName
		if d, ok := distros[s.osid.ID]; ok {
			name = d.osType
		} else {
			name = q(s.osid.ID)
		}
	default:
		return
	}
	if detected != declared {
		s.add(osMismatchFinding(s.opts.DeclaredOSType, name, pretty, s.report.Suggested))
	}
}

// checkDeclaredName warns when the declared OsName, of the right family,
// names another major version or word size than the disk holds.
func (s *session) checkDeclaredName() {
	sug, declared := s.report.Suggested, strings.TrimSpace(s.opts.DeclaredOSName)
	if sug == nil || sug.OsName == "" || declared == "" || s.report.Has(IDOSMismatch) ||
		!strings.EqualFold(sug.OsType, strings.TrimSpace(s.opts.DeclaredOSType)) {
		return
	}
	if normName(declared) == normName(sug.OsName) {
		return
	}
	major := ""
	if s.osid != nil {
		major, _, _ = strings.Cut(versionNum.FindString(orDefault(s.osid.Version, s.osid.VersionID)), ".")
	}
	wantBits := sug.OsName[strings.LastIndexByte(sug.OsName, ' ')+1:]
	if !strings.Contains(declared, wantBits) || (major != "" && !containsVersion(declared, major)) {
		s.add(osNameFinding(declared, sug, s.report.OS.PrettyName))
	}
}

// containsVersion reports whether name has a version starting with major
// ("CentOS 7.9 64位" has 7; "CentOS 17" has not).
func containsVersion(name, major string) bool {
	for _, f := range strings.Fields(name) {
		if m := versionNum.FindString(f); m == f && (m == major || strings.HasPrefix(m, major+".")) {
			return true
		}
	}
	return false
}
