package inspect

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"regexp"
	"strings"
)

// osIdentity is the guest's OS as its release files tell it.
type osIdentity struct {
	ID         string // os-release ID, lower case: ubuntu, centos, rhel, rocky ...
	IDLike     string
	VersionID  string // os-release VERSION_ID
	PrettyName string
	// Version is the most precise version known, for the OS name: CentOS 7's
	// os-release says "7", its centos-release "7.9.2009".
	Version string
	Arch    string
	Bits    int // 32 or 64; 0 when unknown
	Source  string
}

// parseOSRelease reads os-release's KEY=value lines (shell quoting, as
// os-release(5) allows).
func parseOSRelease(b []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxSmallFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" || len(out) > 256 {
			continue
		}
		out[k] = unquoteShell(v)
	}
	return out
}

func unquoteShell(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1]
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("\"\\$`", v[i+1]) >= 0 {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}

var (
	// "CentOS Linux release 7.9.2009 (Core)", "Red Hat Enterprise Linux
	// Server release 6.10 (Santiago)", "Rocky Linux release 8.9 (Green Obsidian)".
	releaseLine = regexp.MustCompile(`^(.*?)\s+release\s+([0-9][0-9.]*)`)
	suseVersion = regexp.MustCompile(`(?m)^VERSION\s*=\s*([0-9][0-9.]*)`)
	versionNum  = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*`)
)

// identifyOS reads os-release, else the older release files. It returns
// nil when none says anything.
func identifyOS(fsys fs.FS) *osIdentity {
	var id *osIdentity
	for _, name := range []string{"etc/os-release", "usr/lib/os-release"} {
		b, err := readSmall(fsys, name)
		if err != nil {
			continue
		}
		kv := parseOSRelease(b)
		if kv["ID"] == "" && kv["NAME"] == "" {
			continue
		}
		id = &osIdentity{
			ID:         strings.ToLower(kv["ID"]),
			IDLike:     strings.ToLower(kv["ID_LIKE"]),
			VersionID:  kv["VERSION_ID"],
			PrettyName: kv["PRETTY_NAME"],
			Source:     name,
		}
		if id.PrettyName == "" {
			id.PrettyName = strings.TrimSpace(kv["NAME"] + " " + kv["VERSION"])
		}
		id.Version = id.VersionID
		break
	}
	// The Red Hat family's release file has the point release os-release
	// lacks (CentOS 7: VERSION_ID="7"), and is all there is before 7.
	for _, name := range []string{"etc/centos-release", "etc/rocky-release", "etc/almalinux-release", "etc/redhat-release"} {
		b, err := readSmall(fsys, name)
		if err != nil {
			continue
		}
		line := strings.TrimSpace(firstLine(b))
		m := releaseLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if id == nil {
			id = &osIdentity{ID: redHatID(m[1]), VersionID: m[2], PrettyName: line, Source: name}
		}
		if id.Version == "" || strings.HasPrefix(m[2], id.Version+".") {
			id.Version = m[2]
		}
		break
	}
	if id == nil {
		if b, err := readSmall(fsys, "etc/SuSE-release"); err == nil {
			id = &osIdentity{ID: "opensuse", PrettyName: strings.TrimSpace(firstLine(b)), Source: "etc/SuSE-release"}
			if !strings.Contains(strings.ToLower(id.PrettyName), "opensuse") {
				id.ID = "sles"
			}
			if m := suseVersion.FindSubmatch(b); m != nil {
				id.VersionID, id.Version = string(m[1]), string(m[1])
			}
		}
	}
	if id == nil {
		if b, err := readSmall(fsys, "etc/lsb-release"); err == nil {
			kv := parseOSRelease(b)
			if kv["DISTRIB_ID"] != "" {
				id = &osIdentity{ID: strings.ToLower(kv["DISTRIB_ID"]), VersionID: kv["DISTRIB_RELEASE"],
					Version: kv["DISTRIB_RELEASE"], PrettyName: kv["DISTRIB_DESCRIPTION"], Source: "etc/lsb-release"}
			}
		}
	}
	if id == nil {
		if b, err := readSmall(fsys, "etc/debian_version"); err == nil {
			v := strings.TrimSpace(firstLine(b))
			id = &osIdentity{ID: "debian", PrettyName: "Debian " + v, Source: "etc/debian_version"}
			if versionNum.MatchString(v) {
				id.VersionID = versionNum.FindString(v)
				id.Version = id.VersionID
			}
		}
	}
	if id != nil {
		id.Arch, id.Bits = guestArch(fsys)
	}
	return id
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if len(b) > 256 {
		b = b[:256]
	}
	return string(b)
}

// redHatID maps the distribution part of a redhat-release line to its
// os-release ID.
func redHatID(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "centos"):
		return "centos"
	case strings.Contains(n, "rocky"):
		return "rocky"
	case strings.Contains(n, "alma"):
		return "almalinux"
	case strings.Contains(n, "red hat"):
		return "rhel"
	case strings.Contains(n, "fedora"):
		return "fedora"
	case strings.Contains(n, "oracle"):
		return "ol"
	}
	return strings.ToLower(strings.Fields(name + " x")[0])
}

// guestArch reads the ELF header of the shell (or ls), else tells the
// architecture from which dynamic loader is present.
func guestArch(fsys fs.FS) (string, int) {
	for _, name := range []string{"bin/sh", "usr/bin/sh", "bin/bash", "usr/bin/ls", "bin/ls"} {
		if a, bits := elfArch(fsys, name); a != "" {
			return a, bits
		}
	}
	for _, l := range []struct {
		path, arch string
		bits       int
	}{
		{"lib64/ld-linux-x86-64.so.2", "x86_64", 64},
		{"usr/lib64/ld-linux-x86-64.so.2", "x86_64", 64},
		{"lib/ld-linux-aarch64.so.1", "aarch64", 64},
		{"usr/lib/ld-linux-aarch64.so.1", "aarch64", 64},
		{"lib/ld-linux.so.2", "i686", 32},
		{"usr/lib/ld-linux.so.2", "i686", 32},
	} {
		if _, err := fs.Stat(fsys, l.path); err == nil {
			return l.arch, l.bits
		}
	}
	return "", 0
}

func elfArch(fsys fs.FS, name string) (string, int) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", 0
	}
	defer f.Close()
	var h [20]byte
	if _, err := io.ReadFull(f, h[:]); err != nil || string(h[:4]) != "\x7fELF" {
		return "", 0
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h[5] == 2 {
		bo = binary.BigEndian
	}
	bits := 0
	switch h[4] {
	case 1:
		bits = 32
	case 2:
		bits = 64
	default:
		return "", 0
	}
	switch bo.Uint16(h[18:]) {
	case 3:
		return "i686", 32
	case 62:
		if bits == 32 { // x32 userland
			return "x86_64", 32
		}
		return "x86_64", 64
	case 183:
		return "aarch64", 64
	case 40:
		return "armv7l", 32
	case 243:
		return "riscv64", bits
	case 21:
		return "ppc64le", 64
	case 22:
		return "s390x", 64
	case 258:
		return "loongarch64", 64
	}
	return "", bits
}
