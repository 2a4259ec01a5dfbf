package inspect

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/uimport/uimport/filesystem"
	"github.com/uimport/uimport/filesystem/ext4"
	"github.com/uimport/uimport/filesystem/xfs"
)

// openFS opens a volume's file system when there is a reader for it.
func openFS(v *volume) (fs.FS, error) {
	f, _, err := openFSCaveats(v)
	return f, err
}

// openFSCaveats also says what the reader could not take into account: a
// journal or log left unreplayed (an image copied from a running system),
// features it does not read. What is read may then be stale or missing.
func openFSCaveats(v *volume) (fs.FS, []string, error) {
	switch v.kind {
	case filesystem.Ext2, filesystem.Ext3, filesystem.Ext4:
		f, vol, err := ext4.OpenFS(v.r, v.size)
		if err != nil {
			return nil, nil, err
		}
		var caveats []string
		for _, u := range vol.Info().Unsupported {
			if u == "needs_recovery" {
				caveats = append(caveats, "its journal needs recovery and could not be replayed: recent changes may be missing (was the image taken from a running system?)")
				continue
			}
			caveats = append(caveats, "the feature "+q(u)+" is not read")
		}
		return f, caveats, nil
	case filesystem.XFS:
		f, vol, err := xfs.OpenFS(v.r, v.size)
		if err != nil {
			return nil, nil, err
		}
		var caveats []string
		switch clean, err := vol.LogClean(); {
		case errors.Is(err, xfs.ErrExternalLog):
			caveats = append(caveats, "its log is on another device, so whether it was cleanly unmounted is unknown")
		case err == nil && !clean:
			caveats = append(caveats, "its log was not cleanly unmounted and is not replayed here: recent changes may be missing (was the image taken from a running system? shut the guest down before copying its disk)")
		}
		return f, caveats, nil
	}
	return nil, nil, fmt.Errorf("no reader for %s", v.kind)
}

// readable reports whether openFS knows the volume's file system.
func readable(k filesystem.Kind) bool {
	switch k {
	case filesystem.Ext2, filesystem.Ext3, filesystem.Ext4, filesystem.XFS:
		return true
	}
	return false
}

// rootScore says how much a file system looks like a Linux root.
func rootScore(fsys fs.FS) int {
	score := 0
	for _, p := range []struct {
		name   string
		weight int
	}{
		{"etc/fstab", 2}, {"etc/os-release", 2}, {"usr/lib/os-release", 1},
		{"etc/redhat-release", 2}, {"etc/debian_version", 1}, {"etc/SuSE-release", 1},
		{"usr/bin", 1}, {"sbin", 1},
	} {
		if _, err := fs.Stat(fsys, p.name); err == nil {
			score += p.weight
		}
	}
	return score
}

// guest is the mounted view of the guest: its root and the file systems
// /etc/fstab mounts where inspection looks (/boot, /usr).
type guest struct {
	root   *volume
	rootFS fs.FS
	ns     *mountFS
	fstab  []fstabEntry
	mounts map[string]*volume // mount point → volume
	// caveats are what the root's reader could not take into account.
	caveats []string
}

// findRoot opens every readable volume and keeps the one that looks most
// like a root file system.
func (s *session) findRoot(vols []*volume) *guest {
	var best *guest
	bestScore := 0
	for _, v := range vols {
		if !readable(v.kind) || s.expired() {
			continue
		}
		fsys, caveats, err := openFSCaveats(v)
		if err != nil {
			s.noteCorrupt(err)
			s.uninspectable(Info, "the "+string(v.kind)+" file system on "+v.dev, err.Error())
			continue
		}
		if sc := rootScore(fsys); sc >= 3 && sc > bestScore {
			best, bestScore = &guest{root: v, rootFS: fsys, caveats: caveats}, sc
		}
	}
	if best != nil {
		for _, c := range best.caveats {
			s.uninspectable(Warn, "the root file system ("+best.root.dev+")", c)
		}
	}
	return best
}

// mount reads the root's /etc/fstab and mounts /boot and /usr from the
// volumes it names; a /boot it does not name is looked for by content.
func (s *session) mount(g *guest, vols []*volume) {
	g.mounts = map[string]*volume{"/": g.root}
	g.ns = &mountFS{}
	g.ns.add("", g.rootFS)
	s.part(g.root).Mountpoint = "/"
	if b, err := readSmall(g.rootFS, "etc/fstab"); err == nil {
		g.fstab = parseFstab(b)
	} else if !isNotExist(err) {
		s.uninspectable(Info, "/etc/fstab", err.Error())
	}
	for _, e := range g.fstab {
		v := findVolume(vols, e.Spec)
		if v == nil || v == g.root {
			if e.Mountpoint == "/boot" && v == nil {
				s.uninspectable(Warn, "/boot", fmt.Sprintf("/etc/fstab mounts it from %s, which is not on this disk", q(e.Spec)))
			}
			continue
		}
		if e.Mountpoint != "/" && e.Mountpoint != "none" && e.Type != "swap" && s.part(v).Mountpoint == "" {
			s.part(v).Mountpoint = e.Mountpoint
		}
		if e.Mountpoint != "/boot" && e.Mountpoint != "/usr" {
			continue
		}
		s.mountVolume(g, e.Mountpoint, v)
	}
	if g.mounts["/boot"] == nil && !hasKernelImage(g.rootFS, "boot") {
		for _, v := range vols {
			if v == g.root || !readable(v.kind) || s.part(v).Mountpoint != "" {
				continue
			}
			if fsys, err := openFS(v); err == nil && hasKernelImage(fsys, ".") {
				s.part(v).Mountpoint = "/boot"
				g.mounts["/boot"] = v
				g.ns.add("boot", fsys)
				break
			}
		}
	}
}

func (s *session) mountVolume(g *guest, point string, v *volume) {
	if !readable(v.kind) {
		s.uninspectable(Warn, point, fmt.Sprintf("it is %s on %s, which cannot be read", orUnknown(string(v.kind)), v.dev))
		return
	}
	fsys, caveats, err := openFSCaveats(v)
	if err != nil {
		s.noteCorrupt(err)
		s.uninspectable(Warn, point+" ("+v.dev+")", err.Error())
		return
	}
	for _, c := range caveats {
		s.uninspectable(Warn, point+" ("+v.dev+")", c)
	}
	g.mounts[point] = v
	g.ns.add(strings.TrimPrefix(point, "/"), fsys)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown file system"
	}
	return s
}

func hasKernelImage(fsys fs.FS, dir string) bool {
	list, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, de := range list {
		if strings.HasPrefix(de.Name(), "vmlinuz-") || strings.HasPrefix(de.Name(), "vmlinux-") {
			return true
		}
	}
	return false
}

// findVolume resolves an fstab source (UUID=, LABEL=, /dev/disk/by-*,
// /dev/mapper/vg-lv, /dev/vg/lv, /dev/sda1 ...) to a volume.
func findVolume(vols []*volume, spec string) *volume {
	key, val, _ := strings.Cut(spec, "=")
	switch {
	case strings.HasPrefix(spec, "/dev/disk/by-uuid/"):
		key, val = "UUID", path.Base(spec)
	case strings.HasPrefix(spec, "/dev/disk/by-label/"):
		key, val = "LABEL", path.Base(spec)
	}
	switch strings.ToUpper(key) {
	case "UUID":
		val = strings.Trim(val, `"`)
		for _, v := range vols {
			if v.uuid != "" && strings.EqualFold(v.uuid, val) {
				return v
			}
		}
		return nil
	case "LABEL":
		val = strings.Trim(val, `"`)
		for _, v := range vols {
			if v.label == val && val != "" {
				return v
			}
		}
		return nil
	}
	for _, v := range vols {
		if v.named(spec) {
			return v
		}
	}
	// A kernel disk name (/dev/sda2, /dev/xvda2, /dev/vda2): the partition
	// with that number on the only disk there is.
	if m := diskPartition.FindStringSubmatch(spec); m != nil {
		n, _ := strconv.Atoi(m[1])
		for _, v := range vols {
			if !v.lvm && v.number == n {
				return v
			}
		}
	}
	return nil
}

// diskPartition matches a partition of the first disk by kernel name.
var diskPartition = regexp.MustCompile(`^/dev/(?:sda|hda|vda|xvda)([0-9]+)$`)

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
