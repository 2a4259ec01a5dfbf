package inspect

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// bootEntry is one way the boot loader can start the guest.
type bootEntry struct {
	Source  string // the file it came from, as a guest path
	ID      string // BLS entry id (file name without .conf) or grub menuentry --id
	Title   string
	Kernel  string // the kernel path as written (/vmlinuz-..., /boot/vmlinuz-...)
	Initrd  string
	Options string // kernel command line, $kernelopts expanded
	Version string // kernel version, from the BLS version line or the kernel's file name
}

// bootConfig is what the boot loader's configuration says.
type bootConfig struct {
	Env     map[string]string // grubenv
	Entries []bootEntry       // in menu order
	Default int               // index into Entries; -1 when nothing says
	Why     string            // how Default was chosen
}

// Bounds on what one configuration may hold.
const (
	maxBootEntries = 512
	maxBLSFiles    = 256
	// maxBootFile bounds a BLS entry or grubenv (grubenv is 1 KiB).
	maxBootFile = 64 << 10
)

var grubenvPaths = []string{"boot/grub2/grubenv", "boot/grub/grubenv"}

// readBootConfig reads grubenv, BLS entries, grub.cfg and legacy grub.conf.
func readBootConfig(fsys fs.FS) *bootConfig {
	bc := &bootConfig{Env: map[string]string{}, Default: -1}
	for _, p := range grubenvPaths {
		if b, err := readLimited(fsys, p, maxBootFile); err == nil {
			bc.Env = parseGrubenv(b)
			break
		}
	}
	var grubVars map[string]string
	var grubEntries []bootEntry
	grubDefault := ""
	for _, p := range []string{"boot/grub2/grub.cfg", "boot/grub/grub.cfg"} {
		if b, err := readSmall(fsys, p); err == nil {
			grubEntries, grubVars, grubDefault = parseGrubCfg(b, "/"+p)
			break
		}
	}
	kernelopts := bc.Env["kernelopts"]
	if kernelopts == "" {
		kernelopts = grubVars["kernelopts"]
	}
	bls := readBLS(fsys, kernelopts)
	var legacy []bootEntry
	legacyDefault := -1
	for _, p := range []string{"boot/grub/grub.conf", "boot/grub/menu.lst"} {
		if b, err := readSmall(fsys, p); err == nil {
			legacy, legacyDefault = parseLegacyGrub(b, "/"+p)
			break
		}
	}
	switch {
	case len(bls) > 0:
		// grub's blscfg puts BLS entries first, newest version first.
		bc.Entries = append(bls, grubEntries...)
	case len(grubEntries) > 0:
		bc.Entries = grubEntries
	default:
		bc.Entries = legacy
	}
	if len(bc.Entries) > maxBootEntries {
		bc.Entries = bc.Entries[:maxBootEntries]
	}
	bc.pickDefault(grubDefault, legacyDefault, len(bls) == 0 && len(grubEntries) == 0)
	return bc
}

func (bc *bootConfig) pickDefault(grubDefault string, legacyDefault int, legacyOnly bool) {
	if len(bc.Entries) == 0 {
		return
	}
	match := func(sel string) int {
		sel = strings.TrimSpace(sel)
		if i := strings.LastIndexByte(sel, '>'); i >= 0 { // "submenu>entry"
			sel = sel[i+1:]
		}
		if sel == "" {
			return -1
		}
		for i, e := range bc.Entries {
			if e.ID == sel || e.Title == sel {
				return i
			}
		}
		if n, err := strconv.Atoi(sel); err == nil && n >= 0 && n < len(bc.Entries) {
			return n
		}
		return -1
	}
	if saved := bc.Env["saved_entry"]; saved != "" {
		if i := match(saved); i >= 0 {
			bc.Default, bc.Why = i, "grubenv saved_entry"
			return
		}
	}
	if grubDefault != "" && !strings.Contains(grubDefault, "$") {
		if i := match(grubDefault); i >= 0 {
			bc.Default, bc.Why = i, "grub.cfg default"
			return
		}
	}
	if legacyOnly && legacyDefault >= 0 && legacyDefault < len(bc.Entries) {
		bc.Default, bc.Why = legacyDefault, "grub.conf default"
		return
	}
	bc.Default, bc.Why = 0, "first boot entry"
}

// parseGrubenv reads grub's environment block: key=value lines padded
// with '#'.
func parseGrubenv(b []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' || len(out) > 256 {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && k != "" {
			out[k] = strings.ReplaceAll(strings.ReplaceAll(v, `\n`, "\n"), `\\`, `\`)
		}
	}
	return out
}

// readBLS reads /boot/loader/entries/*.conf, sorted as grub's blscfg does:
// newest version first.
func readBLS(fsys fs.FS, kernelopts string) []bootEntry {
	const dir = "boot/loader/entries"
	list, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil
	}
	var out []bootEntry
	for _, de := range list {
		if len(out) >= maxBLSFiles {
			break
		}
		name := de.Name()
		if !strings.HasSuffix(name, ".conf") {
			continue
		}
		b, err := readLimited(fsys, dir+"/"+name, maxBootFile)
		if err != nil {
			continue
		}
		e := bootEntry{Source: "/" + dir + "/" + name, ID: strings.TrimSuffix(name, ".conf")}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 0, 4096), maxSmallFile)
		for sc.Scan() {
			key, val := splitKeyword(sc.Text())
			switch key {
			case "title":
				e.Title = val
			case "version":
				e.Version = val
			case "linux":
				e.Kernel = firstField(val)
			case "initrd":
				if e.Initrd == "" {
					e.Initrd = firstField(val)
				}
			case "options":
				e.Options = strings.TrimSpace(e.Options + " " + val)
			}
		}
		e.Options = expandKernelopts(e.Options, kernelopts)
		if e.Version == "" {
			e.Version = kernelVersionFromPath(e.Kernel)
		}
		if e.Kernel != "" {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b bootEntry) int {
		if c := compareVersions(b.Version, a.Version); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

func expandKernelopts(opts, kernelopts string) string {
	opts = strings.ReplaceAll(opts, "${kernelopts}", kernelopts)
	return strings.TrimSpace(strings.ReplaceAll(opts, "$kernelopts", kernelopts))
}

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

// kernelVersionFromPath: "/boot/vmlinuz-5.14.0-362.el9.x86_64" → "5.14.0-362.el9.x86_64".
func kernelVersionFromPath(p string) string {
	base := path.Base(p)
	for _, pre := range []string{"vmlinuz-", "vmlinux-", "kernel-", "Image-"} {
		if strings.HasPrefix(base, pre) {
			return strings.TrimPrefix(base, pre)
		}
	}
	return ""
}

// rootArg returns the root= value of a kernel command line.
func rootArg(opts string) string {
	for _, f := range strings.Fields(opts) {
		if v, ok := strings.CutPrefix(f, "root="); ok {
			return v
		}
	}
	return ""
}
