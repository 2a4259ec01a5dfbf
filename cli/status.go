package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/journal"
)

func newStatusCmd(app *App, g *globalFlags) *cobra.Command {
	var (
		region, project string
		wf              waitFlags
	)
	cmd := &cobra.Command{
		Use:   "status IMAGE_ID",
		Short: "Show an imported image's state; --wait follows it to Available or Unavailable",
		Example: "  uimport status uimage-abc123 --region sg\n" +
			"  uimport status uimage-abc123 --wait",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, imageID := cmd.Context(), args[0]
			s, err := app.resolve(g)
			if err != nil {
				return err
			}
			// The journal remembers where each import went.
			entries, _, _ := journal.Read(app.journal().Path())
			prev, _ := journal.FindImage(entries, imageID)
			region = first(region, prev.Params["Region"], s.Region)
			project = first(project, prev.Params["ProjectId"], s.ProjectID)
			if region == "" {
				return usageErrorf("Pass the region the image was imported to, like --region sg.", "no region for "+imageID)
			}
			sess, err := app.openSession(ctx, s)
			if err != nil {
				return err
			}
			defer sess.Close()
			client, err := sess.client(ctx)
			if err != nil {
				return err
			}
			o := follow.Options{Region: region, ProjectID: project, ImageID: imageID, Limit: wf.Timeout}
			if wf.Wait {
				_, err := app.waitForImage(ctx, client, o, s)
				return err
			}
			res, err := client.DescribeImage(ctx, apiclient.DescribeImageRequest{Region: region, ProjectId: project, ImageId: imageID, ImageType: "Custom", Limit: 1})
			if err != nil {
				return err
			}
			if len(res.ImageSet) == 0 {
				return &exitError{code: ExitFailure, err: &usageError{
					msg:  fmt.Sprintf("no image %s in region %s", imageID, region),
					hint: "A new import can take a minute to appear; check the ImageId and --region.",
				}}
			}
			img := res.ImageSet[0]
			if s.JSON {
				return writeJSON(app.IO.Out, img)
			}
			printImage(app, img)
			if img.State == apiclient.StateUnavailable {
				return &exitError{code: ExitUnavailable, err: fmt.Errorf("image %s is Unavailable: the import failed", imageID)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&region, "region", "", "region of the image (default: from the import history, UCLOUD_REGION or the config)")
	f.StringVar(&project, "project-id", "", "project of the image")
	wf.register(cmd)
	return cmd
}

func (wf *waitFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&wf.Wait, "wait", false, "follow the import until the image is Available (exit 0) or Unavailable (exit 5)")
	cmd.Flags().DurationVar(&wf.Timeout, "wait-timeout", 3*time.Hour, "give up waiting after this long (the import goes on)")
}

func printImage(app *App, img apiclient.Image) {
	created := ""
	if img.CreateTime > 0 {
		created = time.Unix(img.CreateTime, 0).Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(app.IO.Out, "ImageId:  %s\nName:     %s\nState:    %s\nOS:       %s (%s)\nSize:     %d GB\nCreated:  %s\n",
		img.ImageId, img.ImageName, img.State, img.OsName, img.OsType, img.ImageSize, orUnknown(created))
}
