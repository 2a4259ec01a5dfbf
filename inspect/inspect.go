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
	"sync"
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

// session is one inspection.
type session struct {
	ctx     context.Context
	opts    Options
	report  *Report
	vols    []*volume
	osid    *osIdentity
	windows bool

	mu         sync.Mutex
	corruptErr error // the first damage a read met
	skipped    bool
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
			s.add(corruptFinding(ce.What))
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
	if s.corruptErr != nil {
		s.add(corruptFinding(s.corruptErr.Error()))
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

func (s *session) checkMismatch() {
	declared := declaredFamily(s.opts.DeclaredOSType)
	if declared == "" {
		return
	}
	detected, name, pretty := "", "", ""
	switch {
	case s.windows:
		detected, name, pretty = "windows", "Windows", "an NTFS system disk"
	case s.osid != nil:
		detected = familyOf(s.osid.ID, s.osid.IDLike)
		pretty = s.osid.PrettyName
		if d, ok := distros[s.osid.ID]; ok {
			name = d.osType
		} else {
			name = q(s.osid.ID)
		}
	default:
		return
	}
	if detected != declared {
		s.add(osMismatchFinding(s.opts.DeclaredOSType, name, pretty, s.report.Suggested))
	}
}

// checkDeclaredName warns when the declared OsName, of the right family,
// names another major version or word size than the disk holds.
func (s *session) checkDeclaredName() {
	sug, declared := s.report.Suggested, strings.TrimSpace(s.opts.DeclaredOSName)
	if sug == nil || sug.OsName == "" || declared == "" || s.report.Has(IDOSMismatch) ||
		!strings.EqualFold(sug.OsType, strings.TrimSpace(s.opts.DeclaredOSType)) {
		return
	}
	if normName(declared) == normName(sug.OsName) {
		return
	}
	major := ""
	if s.osid != nil {
		major, _, _ = strings.Cut(versionNum.FindString(orDefault(s.osid.Version, s.osid.VersionID)), ".")
	}
	wantBits := sug.OsName[strings.LastIndexByte(sug.OsName, ' ')+1:]
	if !strings.Contains(declared, wantBits) || (major != "" && !containsVersion(declared, major)) {
		s.add(osNameFinding(declared, sug, s.report.OS.PrettyName))
	}
}

// containsVersion reports whether name has a version starting with major
// ("CentOS 7.9 64位" has 7; "CentOS 17" has not).
func containsVersion(name, major string) bool {
	for _, f := range strings.Fields(name) {
		if m := versionNum.FindString(f); m == f && (m == major || strings.HasPrefix(m, major+".")) {
			return true
		}
	}
	return false
}

func (s *session) add(f Finding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.report.Findings = append(s.report.Findings, f)
}

// uninspectable says what could not be read and why; once the budget is
// spent, the one timeout finding says it for everything.
func (s *session) uninspectable(sev Severity, what, why string) {
	if s.expired() {
		return
	}
	s.add(uninspectableFinding(sev, what, why))
}

func (s *session) stage(name string) {
	if s.opts.Progress != nil {
		s.opts.Progress(name)
	}
}

// expired reports (once, as a finding) that the budget ran out.
func (s *session) expired() bool {
	if s.ctx.Err() == nil {
		return false
	}
	if !s.skipped {
		s.skipped = true
		why := fmt.Sprintf("the inspection ran out of time (%s) and stopped", budgetOf(s.opts))
		if errors.Is(s.ctx.Err(), context.Canceled) {
			why = "the inspection was cancelled"
		}
		s.add(uninspectableFinding(Warn, "the rest of the image", why))
	}
	return true
}

func budgetOf(o Options) time.Duration {
	if o.Budget > 0 {
		return o.Budget
	}
	return DefaultBudget
}

// noteCorrupt keeps the first container damage a read met: a *CorruptError
// from diskimage is the image's fault, not the guest's.
func (s *session) noteCorrupt(err error) {
	var ce *diskimage.CorruptError
	if errors.As(err, &ce) {
		s.mu.Lock()
		if s.corruptErr == nil {
			s.corruptErr = ce
		}
		s.mu.Unlock()
	}
}

// guardedReader stops every read once the budget is spent and remembers
// container damage met on the way.
type guardedReader struct {
	s *session
	r io.ReaderAt
}

func (g *guardedReader) ReadAt(p []byte, off int64) (int, error) {
	if err := g.s.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := g.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) {
		g.s.noteCorrupt(err)
	}
	return n, err
}
