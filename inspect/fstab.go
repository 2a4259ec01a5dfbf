package inspect

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// maxFstabEntries bounds the lines kept from /etc/fstab.
const maxFstabEntries = 256

// fstabEntry is one line of /etc/fstab.
type fstabEntry struct {
	Spec       string // UUID=..., LABEL=..., /dev/sda1, /dev/mapper/...
	Mountpoint string
	Type       string
	Options    string
	Line       int
}

// parseFstab reads /etc/fstab, skipping comments and malformed lines.
func parseFstab(b []byte) []fstabEntry {
	var out []fstabEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxSmallFile)
	line := 0
	for sc.Scan() && len(out) < maxFstabEntries {
		line++
		f := strings.Fields(sc.Text())
		if len(f) < 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		e := fstabEntry{Spec: unescapeFstab(f[0]), Mountpoint: unescapeFstab(f[1]), Type: f[2], Line: line}
		if len(f) > 3 {
			e.Options = f[3]
		}
		out = append(out, e)
	}
	return out
}

// unescapeFstab undoes fstab's octal escapes (\040 for a space).
func unescapeFstab(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) && isOctal(s[i+1:i+4]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < '0' || s[i] > '7' {
			return false
		}
	}
	return s[0] <= '3'
}

// unstableDevice matches device names that change on a virtio disk:
// /dev/sda1, /dev/hda2, /dev/xvda1 (the guest will see /dev/vda1).
var unstableDevice = regexp.MustCompile(`^/dev/(sd[a-z]+|hd[a-z]+|xvd[a-z]+)[0-9]*$`)

// virtioName maps /dev/sda1 to /dev/vda1, for the advice.
func virtioName(dev string) string {
	m := unstableDevice.FindStringSubmatch(dev)
	if m == nil {
		return dev
	}
	disk := m[1]
	rest := strings.TrimPrefix(dev, "/dev/"+disk)
	for _, p := range []string{"xvd", "sd", "hd"} {
		if strings.HasPrefix(disk, p) {
			return "/dev/vd" + strings.TrimPrefix(disk, p) + rest
		}
	}
	return dev
}
