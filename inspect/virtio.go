package inspect

import (
	"bufio"
	"bytes"
	"io/fs"
	"strings"
)

// Where virtio_blk can be, per kernel.
const (
	virtioBuiltin = "builtin"
	virtioModule  = "module"
	virtioMissing = "missing"
	virtioUnknown = "unknown"
)

// moduleSuffixes are the compressions kmod reads.
var moduleSuffixes = []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"}

// virtioBlkState tells whether kernel version kver has virtio_blk built in
// or as a module, from modules.builtin, the module file, modules.dep and
// /boot/config-<kver>.
func virtioBlkState(fsys fs.FS, kver string) string {
	mod := "lib/modules/" + kver
	readable := false
	if b, err := readSmall(fsys, mod+"/modules.builtin"); err == nil {
		readable = true
		if listsModule(b, "virtio_blk") {
			return virtioBuiltin
		}
	}
	if _, err := fs.Stat(fsys, mod); err == nil {
		readable = true
		for _, s := range moduleSuffixes {
			if _, err := fs.Stat(fsys, mod+"/kernel/drivers/block/virtio_blk"+s); err == nil {
				return virtioModule
			}
		}
		// Out-of-tree or vendor builds put it elsewhere; modules.dep knows.
		if b, err := readModuleFile(fsys, mod+"/modules.dep"); err == nil && listsModule(b, "virtio_blk") {
			return virtioModule
		}
	}
	if b, err := readSmall(fsys, "boot/config-"+kver); err == nil {
		readable = true
		switch kconfigValue(b, "CONFIG_VIRTIO_BLK") {
		case "y":
			return virtioBuiltin
		case "m":
			if _, err := fs.Stat(fsys, mod); err != nil {
				// The modules are not on this disk to check; trust the config.
				return virtioModule
			}
		}
	}
	if !readable {
		return virtioUnknown
	}
	return virtioMissing
}

// readModuleFile reads modules.dep and its kin, which can reach a few MiB.
func readModuleFile(fsys fs.FS, name string) ([]byte, error) {
	return readLimited(fsys, name, 16<<20)
}

// listsModule reports whether a modules.builtin / modules.dep style list
// names the module (kernel/drivers/block/virtio_blk.ko[.xz]: ...).
func listsModule(b []byte, name string) bool {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, ':'); i >= 0 {
			line = line[:i]
		}
		if isModulePath(strings.TrimSpace(line), name) {
			return true
		}
	}
	return false
}

// isModulePath: "…/virtio_blk.ko", "…/virtio_blk.ko.zst" and so on.
func isModulePath(p, name string) bool {
	base := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		base = p[i+1:]
	}
	for _, s := range moduleSuffixes {
		if base == name+s {
			return true
		}
	}
	return false
}

// kconfigValue returns a Kconfig option's value ("y", "m", ...).
func kconfigValue(b []byte, opt string) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), opt+"="); ok {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}
