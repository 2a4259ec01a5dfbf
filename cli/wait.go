package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/flagvalue"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// waitFlags are shared by `import --wait` and `status --wait`.
type waitFlags struct {
	Wait    bool
	Timeout time.Duration
}

func (wf *waitFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&wf.Wait, "wait", false, "follow the import until the image is Available (exit 0) or Unavailable (exit 5)")
	wf.Timeout = 3 * time.Hour
	cmd.Flags().Var(flagvalue.WaitTimeout{D: &wf.Timeout}, "wait-timeout", "give up waiting after this long (the import goes on)")
}

// waitForImage follows an import to its end (importer's Follow) and shows
// progress: one line redrawn in place on a terminal, timestamped lines
// elsewhere. Available is success; Unavailable is exit 5 with the usual
// causes.
func waitForImage(ctx context.Context, io *iostreams.IOStreams, s settings, sess *importer.Session, api follow.Describer,
	o follow.Options, now func() time.Time) error {
	p := report.NewWaitProgress(io, o.ImageID, now)
	img, err := sess.Follow(ctx, api, o, p.Update)
	p.Clear()
	if err != nil {
		return err
	}
	if s.JSON {
		if err := writeJSON(io.Out, img); err != nil {
			return err
		}
	}
	if err := importer.Unavailable(o.ImageID, img.State); err != nil {
		return err
	}
	okf(io, "%s is Available: the image is ready to use.", o.ImageID)
	return nil
}
