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
