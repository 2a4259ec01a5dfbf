package cli

import (
	"github.com/spf13/pflag"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/report"
	"github.com/uimport/uimport/upload"
)

// registerFileFlags are where a local file goes in UFile: shared by
// `upload` and `import --file`.
func registerFileFlags(fs *pflag.FlagSet, f *importer.FileSpec) {
	fs.StringVar(&f.Bucket, "bucket", "", "bucket in UFile to upload to")
	fs.StringVar(&f.Key, "key", "", "object key in the bucket (default: the file's name)")
	fs.StringVar(&f.Endpoint, "ufile-endpoint", "", "object endpoint URL for UFile, replacing scheme and host: custom domains, other brands (env UCLOUD_UFILE_ENDPOINT)")
	fs.IntVar(&f.Parallel, "parallel", upload.DefaultParallel, "parts uploaded at once")
	fs.BoolVar(&f.Restart, "restart", false, "abort an interrupted upload of this file and start it over instead of resuming")
	fs.BoolVar(&f.AsIs, "as-is", false, "send the image as it is: a RAW stays RAW instead of a qcow2 of its data (a .gz, .xz, .zst, .bz2 or .ova is still unpacked)")
}

// runImportFile is `import --file FILE --bucket B`: plan (check the file,
// find the target), upload, then import the object, each step only if the
// one before succeeded.
func runImportFile(opts *ImportOptions, s settings, sess *importer.Session, spec importspec.Spec) error {
	io, ctx := opts.IO, opts.Ctx
	plan, err := sess.PlanFileImport(ctx, importer.FileImportInput{
		Spec: spec, File: opts.File, Authorised: opts.Yes || opts.DryRun, SkipCheck: opts.SkipCheck,
	})
	if err != nil {
		return err
	}
	opts.sent = plan.Plan
	if err := opts.Copy.Settle(plan.Spec.Region); err != nil {
		return err
	}
	if opts.DryRun {
		p, presigned := plan.Prepare()
		if note := opts.Copy.DryRunNote(); note != "" {
			notef(io, "%s", note)
		}
		notef(io, "Dry run: nothing was uploaded. %s would be uploaded to %s, then imported with the request below.", opts.File.Path, plan.ObjectURL())
		if report.Presigned(io, presigned) {
			notef(io, "(The real pre-signed URL is made when the upload ends, so its 24 hours start then.)")
		}
		return report.DryRun(io, s.JSON, p.Request)
	}
	if _, err := uploadFile(ctx, opts.IO, opts.Factory.Now, opts.File.Path, opts.Accessible, plan.Upload); err != nil {
		return err
	}
	p, presigned := plan.Prepare()
	report.Presigned(io, presigned)
	err = submitImport(opts, s, sess, p)
	if ExitCode(err) == ExitAPIRefused && !plan.Target.Private {
		// Refused for sure, so not imported: a retry need not upload again
		// (the upload's state is gone once it completed).
		notef(io, "The file stays in UFile: retry the import with --url %s instead of --file, so it is not uploaded again.", plan.ObjectURL())
	}
	return err
}
