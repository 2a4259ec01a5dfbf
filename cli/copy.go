package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

// CopyOptions are `uimport copy`'s flags and dependencies.
type CopyOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	ImageID   string
	Region    string
	ProjectID string
	To        []string
	ToProject string
	Name      string
	Desc      string
	Tag       string
	Wait      bool
	Timeout   time.Duration
}

// NewCmdCopy is `uimport copy`; runF replaces runCopy in tests.
func NewCmdCopy(f *Factory, runF func(*CopyOptions) error) *cobra.Command {
	opts := &CopyOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "copy IMAGE_ID --to REGIONS",
		Short: "Copy a custom image to other regions (CopyCustomImage), one copy per region",
		Long: "Copy an Available custom image to other regions with CopyCustomImage: one request per\n" +
			"target region, recorded in the journal before it is sent and never repeated (every\n" +
			"accepted request makes a new image). Each copy's ImageId is printed on stdout, one per\n" +
			"line, in the order of --to. With --wait every copy is followed in its own region:\n" +
			"exit 0 when all are Available, 5 when any became Unavailable (the others are kept).\n\n" +
			"cn-bj1 does not support copies. Copying may need to be enabled for the account (a ticket).",
		Example: "  uimport copy uimage-abc12345 --region cn-bj2 --to hk,sg --wait\n" +
			"  uimport copy uimage-abc12345 --to hk --name web-hk -o json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.ImageID = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return runCopy(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Region, "region", "", "the source image's region (default: from the journal, UCLOUD_REGION or the config)")
	fl.StringVar(&opts.ProjectID, "project-id", "", "the source image's project; empty for the default project")
	fl.StringSliceVar(&opts.To, "to", nil, "target regions, comma-separated, like hk,sg (one copy each)")
	fl.StringVar(&opts.ToProject, "to-project", "", "the copies' project (default: the source's)")
	fl.StringVar(&opts.Name, "name", "", "the copies' name (default: the source's)")
	fl.StringVar(&opts.Desc, "description", "", "the copies' description")
	fl.StringVar(&opts.Tag, "tag", "", "the copies' business group")
	fl.BoolVar(&opts.Wait, "wait", false, "follow every copy until Available (exit 0) or Unavailable (exit 5)")
	fl.DurationVar(&opts.Timeout, "wait-timeout", imagecopy.DefaultLimit, "give up waiting for a copy after this long (the copy goes on)")
	return cmd
}

func runCopy(opts *CopyOptions) error {
	f, ctx, io := opts.Factory, opts.Ctx, opts.IO
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	if err := follow.ValidateWaitTimeout(opts.Timeout); err != nil {
		return usageErrorf("Give a duration like 30m or 1h.", err.Error())
	}
	req := importer.CopyRequest{Region: opts.Region, ProjectID: opts.ProjectID,
		ImageID: opts.ImageID, To: importer.SplitRegions(opts.To), ToProject: opts.ToProject,
		Name: opts.Name, Description: opts.Desc, Tag: opts.Tag, Wait: opts.Wait, Limit: opts.Timeout,
	}
	if err := req.Locate(f.StateHome(), s.Settings); err != nil {
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
	results, err := copyWithProgress(ctx, io, sess, client, req, f.Now)
	if err != nil {
		return err
	}
	return reportCopies(io, s.JSON, nil, req.ImageID, results, req.Wait)
}
