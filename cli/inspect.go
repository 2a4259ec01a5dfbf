package cli

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// ExitBlocked is `uimport inspect`'s exit code when a finding blocks: the
// inspection worked, and the image would not import or boot as it is.
// (An import stopped by a blocking finding exits 2, like its other checks.)
const ExitBlocked = 7

// InspectOptions are `uimport inspect`'s flags and dependencies.
type InspectOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	// Source is a local path or an http(s) URL.
	Source string
	// OsType, OsName and Format are compared with what the image holds.
	OsType, OsName, Format string
	// Region and ProjectID say where to list base images for the
	// suggested OsName.
	Region, ProjectID string
	Budget            time.Duration
	Accessible        bool
}

// NewCmdInspect is `uimport inspect IMAGE`; runF replaces runInspect in tests.
func NewCmdInspect(f *Factory, runF func(*InspectOptions) error) *cobra.Command {
	opts := &InspectOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "inspect IMAGE",
		Short: "Look inside a disk image: OS, layout, root file system, kernels, virtio; what would fail",
		Long: "Inspect a disk image before importing it: the container, the partition table, the root\n" +
			"file system, the OS, its kernels and virtio drivers, and the boot configuration, read\n" +
			"in place (no root, no mount, no VM). IMAGE is a local file or an object's URL: public,\n" +
			"pre-signed, or in a private UFile bucket (read with your keys when unsigned reads are\n" +
			"refused); only the parts needed are fetched, with ranged GETs.\n\n" +
			"Each finding says what to do. --os-type, --os-name and --format compare what you mean\n" +
			"to declare with what the image is. The same check runs before every upload and import.\n\n" +
			"Exit status: 0 when nothing blocks (warnings may be printed), 7 when a finding blocks\n" +
			"the import; -o json prints the report (docs/INSPECT.md) with the same exit status.",
		Example: "  uimport inspect ./centos7.qcow2\n" +
			"  uimport inspect https://mybucket.cn-bj.ufileos.com/img/web.qcow2 --os-type CentOS\n" +
			"  uimport inspect disk.vmdk -o json | jq .findings",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return runInspect(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.OsType, "os-type", "", "the OsType you mean to declare, checked against the image: "+strings.Join(importspec.OsTypeNames(), ", "))
	fl.StringVar(&opts.OsName, "os-name", "", "the OsName you mean to declare, checked against the image's version")
	fl.StringVar(&opts.Format, "format", "", "the format you mean to declare, checked against the image: "+strings.Join(importspec.FormatNames(), ", "))
	fl.StringVar(&opts.Region, "region", "", "region whose base images name the suggested OsName (env UCLOUD_REGION)")
	fl.StringVar(&opts.ProjectID, "project-id", "", "project id for listing base images (env UCLOUD_PROJECT_ID)")
	fl.DurationVar(&opts.Budget, "budget", inspect.DefaultBudget, "how long the inspection may take; what is left is reported as skipped")
	fl.BoolVar(&opts.Accessible, "accessible", false, "plain progress lines, for screen readers (env ACCESSIBLE=1; automatic with TERM=dumb)")
	return cmd
}

func runInspect(opts *InspectOptions) error {
	f, io := opts.Factory, opts.IO
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	req := importer.InspectRequest{
		Source: opts.Source, OsName: strings.TrimSpace(opts.OsName),
		Region: importer.First(opts.Region, s.Region), ProjectID: importer.First(opts.ProjectID, s.ProjectID),
		Budget: opts.Budget,
	}
	if req.OsType, err = importer.Canonical("--os-type", opts.OsType, importspec.CanonicalOsType, importspec.OsTypeNames()); err != nil {
		return err
	}
	if req.Format, err = importer.Canonical("--format", opts.Format, importspec.CanonicalFormat, importspec.FormatNames()); err != nil {
		return err
	}
	if opts.Budget <= 0 {
		return usageErrorf("Give a positive duration, like --budget 30s.", "--budget must be positive")
	}
	sess, err := f.open(s)
	if err != nil {
		return err
	}
	defer sess.Close()
	io.SetAccessible(opts.Accessible)
	stages := report.NewStageLine(io)
	req.Progress = stages.Stage
	in, err := sess.Inspect(opts.Ctx, req)
	stages.Done()
	if err != nil {
		return err
	}
	if s.JSON {
		if in.Remote != nil {
			notef(io, "%s", importer.RemoteSummary(in.Remote))
		}
		if err := writeJSON(io.Out, in.Report); err != nil {
			return err
		}
	} else {
		report.Inspection(io, in)
	}
	if n := len(in.Report.Blocking()); n > 0 {
		return &exitError{code: ExitBlocked, err: errAlreadyReported}
	}
	return nil
}
