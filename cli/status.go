package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
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
	loc, err := importer.LocateImage(f.StateHome(), opts.ImageID, opts.Region, opts.ProjectID, s.Settings)
	if loc.Copy != nil {
		notef(opts.IO, "A copy of %s (%s), made by uimport.", loc.Copy.SourceImageID, loc.Copy.SourceRegion)
	}
	if err != nil {
		return err
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
		err := waitForImage(ctx, opts.IO, s, sess, client, follow.Options{Region: loc.Region, ProjectID: loc.ProjectID, ImageID: opts.ImageID, Limit: opts.Wait.Timeout}, f.Now)
		if loc.Copy != nil && ExitCode(err) == ExitUnavailable {
			return &imagecopy.UnavailableError{Region: loc.Region, ImageID: opts.ImageID} // a copy, not an import, failed
		}
		return err
	}
	img, err := sess.Status(ctx, client, loc.Region, loc.ProjectID, opts.ImageID)
	if err != nil {
		return err
	}
	if s.JSON {
		return writeJSON(opts.IO.Out, img)
	}
	report.Image(opts.IO.Out, img)
	if img.State == apiclient.StateUnavailable && loc.Copy != nil {
		return &imagecopy.UnavailableError{Region: loc.Region, ImageID: opts.ImageID}
	}
	if img.State == apiclient.StateUnavailable {
		return &exitError{code: ExitUnavailable, err: fmt.Errorf("image %s is Unavailable: the import failed", opts.ImageID)}
	}
	return nil
}
