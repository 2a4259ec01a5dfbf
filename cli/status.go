package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// StatusOptions are `uimport status`'s flags and dependencies.
type StatusOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	ImageID   string
	Region    string
	ProjectID string
	Wait      waitFlags
}

// NewCmdStatus is `uimport status`; runF replaces runStatus in tests.
func NewCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "status IMAGE_ID",
		Short: "Show an imported image's state; --wait follows it to Available or Unavailable",
		Example: "  uimport status uimage-abc123 --region sg\n" +
			"  uimport status uimage-abc123 --wait",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.ImageID = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return runStatus(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Region, "region", "", "region of the image (default: from the import history, UCLOUD_REGION or the config)")
	cmd.Flags().StringVar(&opts.ProjectID, "project-id", "", "project of the image")
	opts.Wait.register(cmd)
	return cmd
}

func runStatus(opts *StatusOptions) error {
	f, ctx := opts.Factory, opts.Ctx
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	// Without an ImageId DescribeImage lists every image: refuse before anything is sent.
	if err := importspec.ValidateImageID(opts.ImageID); err != nil {
		return usageErrorf("Pass the ImageId the import or copy printed, like uimage-abc12345.", err.Error())
	}
	// The journal remembers where each import went, and each copy (its own region and project).
	rec := importer.RecordedImage(f.StateHome(), opts.ImageID)
	region := importer.First(opts.Region, rec.Region, s.Region)
	project := importer.First(opts.ProjectID, rec.ProjectID, s.ProjectID)
	if rec.Copy != nil {
		notef(opts.IO, "A copy of %s (%s), made by uimport.", rec.Copy.SourceImageID, rec.Copy.SourceRegion)
	}
	if region == "" {
		return usageErrorf("Pass the region the image was imported to, like --region sg.", "no region for "+opts.ImageID)
	}
	sess, err := f.open(s)
	if err != nil {
		return err
	}
	defer sess.Close()
	client, err := sess.Connect(ctx)
	if err != nil {
		return err
	}
	if opts.Wait.Wait {
		err := waitForImage(ctx, opts.IO, s, sess, client, waitTarget{Region: region, ProjectID: project, ImageID: opts.ImageID}, opts.Wait, f.Now)
		if rec.Copy != nil && ExitCode(err) == ExitUnavailable {
			return &imagecopy.UnavailableError{Region: region, ImageID: opts.ImageID} // a copy, not an import, failed
		}
		return err
	}
	img, err := sess.Status(ctx, client, region, project, opts.ImageID)
	if err != nil {
		return err
	}
	if s.JSON {
		return writeJSON(opts.IO.Out, img)
	}
	report.Image(opts.IO.Out, img)
	if img.State == apiclient.StateUnavailable && rec.Copy != nil {
		return &imagecopy.UnavailableError{Region: region, ImageID: opts.ImageID}
	}
	if img.State == apiclient.StateUnavailable {
		return &exitError{code: ExitUnavailable, err: fmt.Errorf("image %s is Unavailable: the import failed", opts.ImageID)}
	}
	return nil
}
