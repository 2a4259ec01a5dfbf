package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/report"
)

// copyFlags are `import --copy-to` and `--via`: copies made once the
// import is Available.
type copyFlags struct{ importer.CopyIntent }

func (c *copyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&c.To, "copy-to", nil, "once the image is Available, copy it to these regions (comma-separated, like hk,sg); --wait follows the copies")
	cmd.Flags().StringVar(&c.Via, "via", "", "for a --region that does not accept imports: import in this hub region (like cn-bj2), then copy to --region; the hub's image is kept")
}

// importThenCopy is the end of `import --copy-to/--via`: the importer
// waits for the import to be Available, copies once per target and, with
// --wait, follows every copy; this reports the source and every copy.
func importThenCopy(opts *ImportOptions, s settings, sess *importer.Session, p importer.Prepared, id string) error {
	io, spec, plan, now := opts.IO, p.Spec, opts.Copy.Plan, opts.Factory.Now
	if !s.JSON {
		io.Out.Write([]byte(id + "\n"))
	}
	okf(io, "Import submitted: %s (%s) in %s. Waiting for it to be Available before copying to %s (Ctrl+C stops waiting, not the import).",
		id, spec.Name, spec.Region, strings.Join(plan.Targets, ", "))
	req := importer.ImportCopyRequest{
		Follow: follow.Options{Region: spec.Region, ProjectID: spec.ProjectID, ImageID: id, Limit: opts.Wait.Timeout},
		Copy:   plan.ImportCopies(spec, id, opts.Wait.Wait),
	}
	waiting, copying := report.NewWaitProgress(io, id, now), report.NewCopyProgress(io, now)
	res, err := sess.ImportThenCopy(opts.Ctx, p.Client, req, importer.ImportCopyEvents{Wait: waiting.Update, Copy: copying.Event,
		Available: func() {
			waiting.Clear()
			okf(io, "%s is Available: the image is ready to use.", id)
			copyNote(io, req.Copy)
		}})
	waiting.Clear()
	copying.Clear()
	source := report.ImageRecord{Region: spec.Region, ProjectID: spec.ProjectID, ImageID: id, State: res.SourceState}
	if err != nil {
		if s.JSON { // the import stands even though nothing was copied
			_ = writeJSON(io.Out, []report.ImageRecord{source})
		}
		if res.SourceState != apiclient.StateAvailable {
			notef(io, "Nothing was copied: the import did not become Available.")
		}
		return err
	}
	if note := plan.HubNote(id); note != "" {
		notef(io, "%s", note)
	}
	// In text, only the copies' ImageIds follow (the import's came first).
	return reportCopies(io, s.JSON, &source, id, res.Copies, req.Copy.Wait)
}
