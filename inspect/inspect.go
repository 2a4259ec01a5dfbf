// Package inspect looks inside a disk image before it is imported: the
// container, the partition table, the root file system, the OS, its
// kernels, virtio drivers and initramfs, and the boot configuration. It
// turns what it finds into a Report with findings, each with a fix.
//
// Everything is read in process, read-only, through one io.ReaderAt (a
// local file or a ranged-HTTP object), and only what is needed is read: a
// few directories and small files, and at most one initramfs, up to the
// first virtio_blk. The image is hostile input; what cannot be read
// becomes an "uninspectable" finding and the rest of the report stands.
package inspect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/uimport/uimport/diskimage"
	"github.com/uimport/uimport/filesystem"
)

// DefaultBudget is how long an inspection may take when Options.Budget is 0.
const DefaultBudget = 20 * time.Second

// Options are what the caller knows about the image.
type Options struct {
	// DeclaredOSType, DeclaredOSName and DeclaredFormat are what the user
	// means to send (empty when not yet chosen). A declared OS type of
	// another family than the detected one is an os-mismatch finding.
	DeclaredOSType string
	DeclaredOSName string
	DeclaredFormat string
	// BaseImageNames are the region's base-image OsName values (from
	// DescribeImage), to suggest a name the console uses. Optional.
	BaseImageNames []string
	// Budget bounds the inspection; what is left when it runs out is
	// reported as skipped. 0 means DefaultBudget.
	Budget time.Duration
	// Progress, when set, is told each stage as it starts.
	Progress func(stage string)
}

// Inspect reads the image in r (size bytes) and reports what it holds. It
// returns an error only when nothing could be read at all (the first
// bytes of r); damage and unreadable parts are findings.
func Inspect(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Report, error) {
	budget := opts.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	s := &session{ctx: ctx, opts: opts, report: &Report{
		PartitionTable: "none", Partitions: []Partition{}, Kernels: []Kernel{}, Findings: []Finding{},
	}}
	s.stage("opening the image")
	disk, err := diskimage.Open(r, size)
	if disk == nil {
		var ce *diskimage.CorruptError
		var ue *diskimage.UnsupportedError
		switch {
		case errors.As(err, &ce):
			s.report.Format = ce.Format
			s.add(corruptFinding(ce.Format + ": " + ce.What))
		case errors.As(err, &ue):
			s.report.Format = ue.Format
			s.add(Finding{ID: IDUninspectable, Severity: Warn,
				Message: "Could not read the image: " + q(ue.Error()) + ".", Fix: q(orDefault(ue.Fix, "Convert it to qcow2 or RAW with qemu-img convert."))})
		default:
			return nil, fmt.Errorf("reading the image: %w", err)
		}
		return s.finish(), nil
	}
	info := disk.Info()
	s.report.Format, s.report.VirtualSize = info.Format, info.VirtualSize
	if info.BackingFile != "" {
		s.add(backingFileFinding("backing file", info.BackingFile))
	}
	if info.DataFile != "" {
		s.add(backingFileFinding("external data file", info.DataFile))
	}
	if info.Encrypted {
		s.add(encryptedFinding("The image is encrypted"))
	}
	if info.VirtualSize > sizeAdvised {
		s.add(sizeFinding(info.VirtualSize))
	}
	if err != nil {
		// The guest data is not (all) in this file; nothing more to read.
		return s.finish(), nil
	}
	s.inspectDisk(&guardedReader{s: s, r: disk}, disk.Size())
	return s.finish(), nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// inspectDisk reads the layout, finds the root and inspects the guest.
func (s *session) inspectDisk(disk io.ReaderAt, size int64) {
	s.stage("reading the partition table")
	s.vols = s.readLayout(disk, size)
	// The advice depends on what boots from the disk, known once the
	// root is.
	defer func() {
		if s.report.PartitionTable == "gpt" {
			s.add(gptFinding(s.report.Partitions, s.windows))
		}
	}()
	if s.expired() {
		return
	}
	s.stage("finding the root file system")
	g := s.findRoot(s.vols)
	if g == nil {
		if !s.expired() {
			s.noRoot(s.vols)
		}
		return
	}
	rootPart := s.part(g.root)
	s.report.Root = &Root{FS: rootPart.FS, Device: rootPart.Device}
	if k := g.root.kind; k != filesystem.Ext3 && k != filesystem.Ext4 {
		s.add(filesystemFinding(string(k), g.root.dev))
	}
	if g.root.lvm {
		s.add(lvmFinding(g.root.dev))
	}
	s.mount(g, s.vols)
	if s.expired() {
		return
	}
	s.inspectLinux(g)
}

// finish adds what the whole report decides (suggestion, mismatch,
// timeout) and orders the findings, blocking ones first.
func (s *session) finish() *Report {
	r := s.report
	if ce := s.corruptErr; ce != nil {
		s.add(corruptFinding(ce.Format + ": " + ce.What))
	}
	s.expired()
	switch {
	case s.windows:
		r.Suggested = &Suggestion{OsType: "Windows"}
	case s.osid != nil:
		r.Suggested = suggest(s.osid, s.opts.BaseImageNames)
	}
	s.checkMismatch()
	s.checkDeclaredName()
	if d := s.opts.DeclaredFormat; d != "" && r.Format != "" && !strings.EqualFold(d, r.Format) {
		s.add(formatFinding(d, r.Format))
	}
	rank := map[Severity]int{Block: 0, Warn: 1, Info: 2}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int { return cmp.Compare(rank[a.Severity], rank[b.Severity]) })
	return r
}
