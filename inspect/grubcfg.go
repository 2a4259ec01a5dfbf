package inspect

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// parseGrubCfg reads menuentry blocks (also inside submenus) and the
// top-level "set default" and other variables of a generated grub.cfg.
func parseGrubCfg(b []byte, source string) (entries []bootEntry, vars map[string]string, def string) {
	vars = map[string]string{}
	depth := 0
	var cur *bootEntry
	curDepth := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxSmallFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		key, val := splitKeyword(line)
		switch {
		case key == "menuentry" && cur == nil:
			cur = &bootEntry{Source: source, Title: grubWord(val), ID: menuentryID(val)}
			curDepth = depth
		case key == "set" && cur == nil && depth == 0:
			if k, v, ok := strings.Cut(val, "="); ok {
				vars[k] = grubWord(v)
				if k == "default" {
					def = vars[k]
				}
			}
		case cur != nil && (key == "linux" || key == "linux16" || key == "linuxefi"):
			cur.Kernel = firstField(val)
			cur.Options = strings.TrimSpace(strings.TrimPrefix(val, firstField(val)))
			cur.Version = kernelVersionFromPath(cur.Kernel)
		case cur != nil && (key == "initrd" || key == "initrd16" || key == "initrdefi"):
			// Ubuntu may list microcode first; the kernel's own initrd is last.
			f := strings.Fields(val)
			if len(f) > 0 {
				cur.Initrd = f[len(f)-1]
			}
		}
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			depth = 0
		}
		if cur != nil && depth <= curDepth && !strings.HasSuffix(line, "{") {
			if cur.Kernel != "" && len(entries) < maxBootEntries {
				cur.Options = expandKernelopts(cur.Options, vars["kernelopts"])
				entries = append(entries, *cur)
			}
			cur = nil
		}
	}
	return entries, vars, def
}

// parseLegacyGrub reads GRUB 0.97's grub.conf / menu.lst.
func parseLegacyGrub(b []byte, source string) ([]bootEntry, int) {
	var out []bootEntry
	def := -1
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxSmallFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		key, val := splitKeyword(line)
		// "default=0" as well as "default 0".
		if k, v, ok := strings.Cut(key, "="); ok {
			key, val = k, strings.TrimSpace(v+" "+val)
		}
		switch key {
		case "default":
			if n, err := strconv.Atoi(val); err == nil {
				def = n
			}
		case "title":
			if len(out) < maxBootEntries {
				out = append(out, bootEntry{Source: source, Title: val})
			}
		case "kernel":
			if len(out) > 0 {
				e := &out[len(out)-1]
				e.Kernel = firstField(val)
				e.Options = strings.TrimSpace(strings.TrimPrefix(val, e.Kernel))
				e.Version = kernelVersionFromPath(e.Kernel)
			}
		case "initrd":
			if len(out) > 0 {
				out[len(out)-1].Initrd = firstField(val)
			}
		}
	}
	return out, def
}

// splitKeyword splits "keyword rest of line".
func splitKeyword(line string) (string, string) {
	line = strings.TrimSpace(line)
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return line, ""
	}
	return line[:i], strings.TrimSpace(line[i+1:])
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// grubWord returns the first word of a grub command's arguments, without
// its quotes: 'Ubuntu' or "Rocky Linux (5.14...)".
func grubWord(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if q := s[0]; q == '\'' || q == '"' {
		if end := strings.IndexByte(s[1:], q); end >= 0 {
			return s[1 : 1+end]
		}
		return s[1:]
	}
	return firstField(s)
}

// menuentryID finds the entry's --id or $menuentry_id_option value.
func menuentryID(args string) string {
	f := strings.Fields(args)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "--id" || f[i] == "$menuentry_id_option" {
			return strings.Trim(f[i+1], `'"{`)
		}
	}
	return ""
}
