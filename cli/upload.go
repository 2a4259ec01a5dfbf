package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
	"github.com/uimport/uimport/upload"
)

// UploadOptions are `uimport upload`'s flags and dependencies.
type UploadOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	File       importer.FileSpec
	Region     string
	Format     string
	SkipCheck  bool
	Abort      bool
	Sample     string
	Accessible bool
}

// NewCmdUpload is `uimport upload`; runF replaces runUpload in tests.
func NewCmdUpload(f *Factory, runF func(*UploadOptions) error) *cobra.Command {
	opts := &UploadOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "upload FILE --bucket BUCKET",
		Short: "Upload a disk image to UFile: resumable, verified; prints the object's URL",
		Long: "Upload a local disk image to a UFile bucket, in parallel parts, and check the stored\n" +
			"object against the file (UFile's ETag). On success the object's URL alone is printed\n" +
			"on stdout.\n\n" +
			"Interrupted (Ctrl+C, a lost SSH session, kill -9, the network gone)? Run the same\n" +
			"command again: it goes on from the parts already stored and never sends them twice.\n\n" +
			"The bucket's host comes from the API's DescribeBucket where the keys allow it, else\n" +
			"from --region; --ufile-endpoint (env UCLOUD_UFILE_ENDPOINT) sets it outright.",
		Example: "  uimport upload disk.qcow2 --bucket mybucket --region cn-bj2\n" +
			"  uimport upload disk.qcow2 --bucket mybucket --key images/web.qcow2 -o json\n" +
			"  uimport upload disk.qcow2 --bucket mybucket --abort   # forget an interrupted upload\n" +
			"  uimport upload --demo --sample 64MiB                  # no account needed",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File.Path = args[0]
			}
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return runUpload(opts)
		},
	}
	fl := cmd.Flags()
	registerFileFlags(fl, &opts.File)
	fl.StringVar(&opts.Region, "region", "", "the bucket's region, like cn-bj2 or sg, when DescribeBucket cannot tell (env UCLOUD_REGION)")
	fl.StringVar(&opts.Format, "format", "", "the image's format, checked against the file: "+strings.Join(importspec.FormatNames(), ", "))
	fl.BoolVar(&opts.SkipCheck, "skip-check", false, "do not check the file (its format, and what inspecting it finds) before uploading")
	fl.BoolVar(&opts.Abort, "abort", false, "abort an interrupted upload of FILE to this bucket and key, and forget it")
	fl.StringVar(&opts.Sample, "sample", "", "with --demo: generate a sample qcow2 image of this size (like 64MiB) and upload it")
	fl.BoolVar(&opts.Accessible, "accessible", false, "plain progress lines, for screen readers (env ACCESSIBLE=1; automatic with TERM=dumb)")
	return cmd
}

func runUpload(opts *UploadOptions) error {
	f, ctx, io := opts.Factory, opts.Ctx, opts.IO
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	sess, err := f.open(s)
	if err != nil {
		return err
	}
	defer sess.Close()
	up, err := sess.ReadyUpload(ctx, importer.UploadInput{File: opts.File, Sample: opts.Sample, Format: opts.Format,
		Region: importer.First(opts.Region, s.Region), ProjectID: s.ProjectID, SkipCheck: opts.SkipCheck, Abort: opts.Abort})
	if err != nil {
		return err
	}
	file, plan, t := up.File, up.Plan, up.Target
	if opts.Abort {
		n, err := sess.AbortUpload(ctx, t, file)
		if n > 0 {
			okf(io, "Aborted %d interrupted upload(s) of %s to %s/%s: UFile deletes their parts.", n, filepath.Base(file.Path), file.Bucket, file.ObjectKey())
		}
		return err
	}
	res, err := uploadFile(ctx, io, f.Now, file.Path, opts.Accessible, func(ctx context.Context, p importer.Progress) (upload.Result, error) {
		return sess.UploadPlanned(ctx, t, file, plan, p)
	})
	if err != nil {
		return err
	}
	if t.Private && t.Known {
		notef(io, "The bucket is private: reading this URL needs a signature (`uimport import --file` hands the import a pre-signed one).")
	}
	if s.JSON {
		return writeJSON(io.Out, report.UploadRecord{URL: res.URL, Bucket: res.Bucket, Key: res.Key, Size: res.Size,
			ETag: res.ETag, Verified: res.Verified, Resumed: res.Resumed, Demo: sess.Demo(), UploadFigures: report.FiguresOf(plan)})
	}
	fmt.Fprintln(io.Out, res.URL)
	return nil
}
