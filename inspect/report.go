package inspect

// Report is what Inspect found, in the stable JSON form scripts rely on
// (docs/INSPECT.md). Every string that came from the image is data: a
// renderer must escape it before it reaches a terminal.
type Report struct {
	Format         string      `json:"format"`
	VirtualSize    int64       `json:"virtual_size"`
	PartitionTable string      `json:"partition_table"` // "mbr", "gpt" or "none"
	Partitions     []Partition `json:"partitions"`
	Root           *Root       `json:"root"`
	OS             *OS         `json:"os"`
	Kernels        []Kernel    `json:"kernels"`
	Suggested      *Suggestion `json:"suggested"`
	Findings       []Finding   `json:"findings"`
}

// Partition is one partition of the disk, or one LVM logical volume
// (VolumeGroup set, Number 0).
type Partition struct {
	Device      string `json:"device"` // as the guest would see it on a virtio disk: /dev/vda1, /dev/mapper/vg-lv
	Number      int    `json:"number,omitempty"`
	Start       int64  `json:"start"` // bytes from the start of the disk (of the PV for an LV: 0)
	Size        int64  `json:"size"`  // bytes
	Type        string `json:"type,omitempty"`
	TypeName    string `json:"type_name,omitempty"`
	Bootable    bool   `json:"bootable,omitempty"`
	Logical     bool   `json:"logical,omitempty"`
	VolumeGroup string `json:"volume_group,omitempty"`
	FS          string `json:"fs"` // filesystem.Kind; "" when unknown
	UUID        string `json:"uuid,omitempty"`
	Label       string `json:"label,omitempty"`
	Mountpoint  string `json:"mountpoint,omitempty"` // where the guest mounts it, from its fstab
}

// Root is the guest's root file system.
type Root struct {
	FS     string `json:"fs"`
	Device string `json:"device"`
}

// OS is the guest's identity, from os-release or the older release files.
type OS struct {
	ID         string `json:"id"`         // os-release ID: "ubuntu", "rocky", "centos", "windows"
	VersionID  string `json:"version_id"` // "22.04", "9.3", "6.10"
	PrettyName string `json:"pretty_name"`
	Arch       string `json:"arch"` // "x86_64", "i686", "aarch64"; "" when unknown
}

// Kernel is one installed kernel and what it can boot from.
type Kernel struct {
	Version   string `json:"version"`
	Image     string `json:"image,omitempty"`     // /boot/vmlinuz-<version>
	Initramfs string `json:"initramfs,omitempty"` // the initramfs found for it
	Default   bool   `json:"default"`
	// VirtioBlk: "builtin", "module" or "missing"; "unknown" when neither
	// the modules nor the config could be read.
	VirtioBlk string `json:"virtio_blk"`
	// VirtioInInitramfs: whether the initramfs carries virtio_blk; nil
	// when not looked at (built in, no initramfs, or unreadable).
	VirtioInInitramfs *bool `json:"virtio_in_initramfs"`
}

// Suggestion is what to send as OsType and OsName. OsName is "" when the
// version could not be read (a Windows disk): the user picks it.
type Suggestion struct {
	OsType string `json:"os_type"`
	OsName string `json:"os_name"`
}

// Severity says what a finding means for the import.
type Severity string

const (
	// Block: the import fails or the host will not boot.
	Block Severity = "block"
	// Warn: likely trouble; the import may still work.
	Warn Severity = "warn"
	// Info: worth knowing.
	Info Severity = "info"
)

// Finding is one problem, with what to do about it.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
}

// Blocking returns the findings that stop an import.
func (r *Report) Blocking() []Finding {
	if r == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.Findings {
		if f.Severity == Block {
			out = append(out, f)
		}
	}
	return out
}

// Has reports whether a finding with this id is present.
func (r *Report) Has(id string) bool {
	if r == nil {
		return false
	}
	for _, f := range r.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}
