package inspect

import (
	"io/fs"
	"path"
	"slices"
	"strings"
)

// maxKernels bounds the kernels looked at; a real guest has one to five.
const maxKernels = 64

// kernelInfo is a kernel with what was learnt about it.
type kernelInfo struct {
	Kernel
	hasModules bool // lib/modules/<version> exists
}

// findKernels lists the kernels in /boot and /lib/modules, newest last.
func findKernels(fsys fs.FS) []*kernelInfo {
	byVersion := map[string]*kernelInfo{}
	get := func(v string) *kernelInfo {
		k := byVersion[v]
		if k == nil && len(byVersion) < maxKernels {
			k = &kernelInfo{Kernel: Kernel{Version: v}}
			byVersion[v] = k
		}
		return k
	}
	if list, err := fs.ReadDir(fsys, "boot"); err == nil {
		for _, de := range list {
			v := kernelVersionFromPath(de.Name())
			// The rescue kernel is a copy of another with no modules of its own.
			if v == "" || strings.HasPrefix(v, "0-rescue") || strings.HasSuffix(v, ".hmac") || de.IsDir() {
				continue
			}
			if k := get(v); k != nil {
				k.Image = "/boot/" + de.Name()
			}
		}
	}
	if list, err := fs.ReadDir(fsys, "lib/modules"); err == nil {
		for _, de := range list {
			if !de.IsDir() && de.Type()&fs.ModeSymlink == 0 {
				continue
			}
			if k := get(de.Name()); k != nil {
				k.hasModules = true
			}
		}
	}
	out := make([]*kernelInfo, 0, len(byVersion))
	for _, k := range byVersion {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b *kernelInfo) int { return compareVersions(a.Version, b.Version) })
	return out
}

// chooseDefault marks the kernel the boot loader starts: the default boot
// entry's, else the newest with an image.
func chooseDefault(kernels []*kernelInfo, bc *bootConfig) (*kernelInfo, *bootEntry) {
	var entry *bootEntry
	if bc != nil && bc.Default >= 0 && bc.Default < len(bc.Entries) {
		entry = &bc.Entries[bc.Default]
		for _, k := range kernels {
			if k.Version == entry.Version || (entry.Version == "" && entry.Kernel != "" && path.Base(entry.Kernel) == path.Base(k.Image)) {
				k.Default = true
				return k, entry
			}
		}
	}
	for i := len(kernels) - 1; i >= 0; i-- {
		if kernels[i].Image != "" {
			kernels[i].Default = true
			return kernels[i], entry
		}
	}
	if len(kernels) > 0 {
		k := kernels[len(kernels)-1]
		k.Default = true
		return k, entry
	}
	return nil, entry
}

// compareVersions orders version strings as rpm does: runs of digits
// by value, runs of letters as text, a number newer than letters, and
// separators only separating ("5.14.0-70" < "5.14.0-362").
func compareVersions(a, b string) int {
	for {
		a, b = strings.TrimLeftFunc(a, notAlnum), strings.TrimLeftFunc(b, notAlnum)
		if a == "" || b == "" {
			break
		}
		digits := isDigit(a[0])
		sa, ra := splitRun(a, digits)
		sb, rb := splitRun(b, digits)
		if sb == "" { // b has the other kind here
			if digits {
				return 1
			}
			return -1
		}
		if digits {
			sa, sb = strings.TrimLeft(sa, "0"), strings.TrimLeft(sb, "0")
			if len(sa) != len(sb) {
				return cmpInt(len(sa), len(sb))
			}
		}
		if c := strings.Compare(sa, sb); c != 0 {
			return c
		}
		a, b = ra, rb
	}
	return cmpInt(len(a), len(b))
}

func notAlnum(r rune) bool {
	return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// splitRun splits off the leading run of digits (or of letters).
func splitRun(s string, digits bool) (string, string) {
	i := 0
	for i < len(s) && !notAlnum(rune(s[i])) && isDigit(s[i]) == digits {
		i++
	}
	return s[:i], s[i:]
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
