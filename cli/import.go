package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// ImportOptions are `uimport import`'s flags and dependencies.
type ImportOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	Spec   importspec.Spec
	Yes    bool
	DryRun bool
	Wait   waitFlags
	// SkipCheck skips reading the object (or file) before submitting.
	SkipCheck bool
	// File uploads a local image first (--file; import_file.go).
	File       importer.FileSpec
	Accessible bool
	// Copy copies the image once it is Available (--copy-to, --via; import_copy.go).
	Copy copyFlags
	// sent is what import --file uploads, for --output json.
	sent *convert.Plan
}

// NewCmdImport is `uimport import`; runF replaces runImport in tests.
func NewCmdImport(f *Factory, runF func(*ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import an image from a UFile URL (the wizard on a terminal, flags with --yes)",
		Long: "Import a disk image stored in UFile as a UHost custom image.\n\n" +
			"On a terminal without --yes this opens the wizard, with the given flags filled in.\n" +
			"With --yes (or without a terminal) it never asks: every required value must be\n" +
			"given as a flag, and --yes authorises the import (the API's Auth=true).\n" +
			"On success the ImageId alone is printed on stdout.",
		Example: "  uimport import --yes --region cn-bj2 --name centos7-web \\\n" +
			"    --url https://mybucket.cn-bj.ufileos.com/img/centos7.qcow2 \\\n" +
			"    --os-type CentOS --os-name 'CentOS 7.9 64位' --format qcow2\n" +
			"  uimport import --dry-run -o json ...   # sign and show, send nothing\n" +
			"  uimport import --yes --file disk.qcow2 --bucket mybucket ...   # upload, verify, then import",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return runImport(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Spec.Region, "region", "", "region id, like sg, hk or cn-bj2 (env UCLOUD_REGION)")
	fl.StringVar(&opts.Spec.ProjectID, "project-id", "", "project id; empty for the default project (env UCLOUD_PROJECT_ID)")
	fl.StringVar(&opts.Spec.Name, "name", "", "image name, 1-63 characters")
	fl.StringVar(&opts.Spec.URL, "url", "", "where the image is in UFile: https://<bucket>.<region>.ufileos.com/<key>")
	fl.StringVar(&opts.Spec.OsType, "os-type", "", "family of the OS: "+strings.Join(importspec.OsTypeNames(), ", "))
	fl.StringVar(&opts.Spec.OsName, "os-name", "", "version of the OS as the console names it, like 'Ubuntu 22.04 64位' (Other when --os-type is Other)")
	fl.StringVar(&opts.Spec.Format, "format", "", "image format: "+strings.Join(importspec.FormatNames(), ", "))
	fl.StringVar(&opts.Spec.Tag, "tag", "", "business group (optional)")
	fl.StringVar(&opts.Spec.Description, "description", "", "image description (optional)")
	fl.BoolVar(&opts.Spec.AllowHTTP, "allow-http", false, "accept an http:// UFile URL")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "submit without asking; this authorises the import")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "build and sign the request, print it, send nothing")
	fl.BoolVar(&opts.SkipCheck, "skip-check", false, "do not check the image first: its format against --format, and what inspecting it finds (GPT, no virtio, the OS)")
	fl.StringVar(&opts.File.Path, "file", "", "upload this local image to UFile first, then import it (with --bucket; instead of --url)")
	registerFileFlags(fl, &opts.File)
	opts.Wait.register(cmd)
	opts.Copy.register(cmd)
	fl.BoolVar(&opts.Accessible, "accessible", false, "ask line by line, for screen readers (env ACCESSIBLE=1; automatic with TERM=dumb)")
	return cmd
}

func runImport(opts *ImportOptions) error {
	f, ctx := opts.Factory, opts.Ctx
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	spec, err := importer.ResolveSpec(opts.Spec, opts.File, s.Settings, &opts.Copy.CopyIntent)
	if err != nil {
		return err
	}
	if !opts.Yes && !opts.DryRun && opts.IO.CanPrompt() && !s.JSON {
		if opts.Copy.Given() {
			return usageErrorf("Add --yes to import and copy without the wizard; the wizard offers copies once the image is Available.",
				"--copy-to and --via are for non-interactive imports")
		}
		return runWizard(&WizardOptions{IO: opts.IO, Factory: f, Ctx: ctx, Settings: s, Spec: spec,
			File: opts.File, Accessible: opts.Accessible, SkipCheck: opts.SkipCheck})
	}
	sess, err := f.open(s)
	if err != nil {
		return err
	}
	defer sess.Close()
	spec.AllowHTTP = spec.AllowHTTP || sess.AllowHTTP()
	if opts.File.Path != "" {
		return runImportFile(opts, s, sess, spec)
	}
	if err := opts.Copy.Settle(spec.Region); err != nil {
		return err
	}
	p, err := sess.PrepareImport(ctx, importer.ImportInput{Spec: spec, Authorised: opts.Yes || opts.DryRun, SkipCheck: opts.SkipCheck})
	if err != nil {
		return err
	}
	if opts.DryRun {
		if note := opts.Copy.DryRunNote(); note != "" {
			notef(opts.IO, "%s", note)
		}
		return report.DryRun(opts.IO, s.JSON, p.Request)
	}
	return submitImport(opts, s, sess, p)
}

// submitImport sends the import once and reports (or waits): the end of
// every non-interactive import, --url or --file.
func submitImport(opts *ImportOptions, s settings, sess *importer.Session, p importer.Prepared) error {
	io, spec := opts.IO, p.Spec
	id, err := sess.SubmitImport(opts.Ctx, p)
	if err != nil {
		return err
	}
	if opts.Copy.Plan.Copies() {
		return importThenCopy(opts, s, sess, p, id)
	}
	if !opts.Wait.Wait {
		return report.Submitted(io, s.JSON, report.ImportRecord{
			ImageID: id, Region: spec.Region, ProjectID: spec.ProjectID, ImageName: spec.Name,
			OsType: spec.OsType, OsName: spec.OsName, Format: spec.Format, State: apiclient.StateMaking, Demo: sess.Demo(),
			UploadFigures: report.FiguresOf(opts.sent),
		})
	}
	if !s.JSON {
		fmt.Fprintln(io.Out, id)
		okf(io, "Import submitted: %s (%s) in %s. Waiting for it to finish (Ctrl+C stops waiting, not the import).", id, spec.Name, spec.Region)
	}
	return waitForImage(opts.Ctx, io, s, sess, p.Client, follow.Options{Region: spec.Region, ProjectID: spec.ProjectID, ImageID: id, Limit: opts.Wait.Timeout}, opts.Factory.Now)
}
