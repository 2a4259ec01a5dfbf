package cli

import (
	"context"
	"strings"
	"time"

	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
)

// copyWithProgress runs the copy use case and shows it on stderr.
func copyWithProgress(ctx context.Context, io *iostreams.IOStreams, sess *importer.Session, api importer.CopyClient,
	req importer.CopyRequest, now func() time.Time) ([]imagecopy.Result, error) {
	p := report.NewCopyProgress(io, now)
	copyNote(io, req)
	results, err := sess.Copy(ctx, api, req, p.Event)
	p.Clear()
	return results, err
}

// copyNote says, when the copies will be followed, what Ctrl+C stops.
func copyNote(io *iostreams.IOStreams, req importer.CopyRequest) {
	if req.Wait {
		notef(io, "Copying %s from %s to %s; following every copy (Ctrl+C stops waiting, not the copies).", req.ImageID, req.Region, strings.Join(req.To, ", "))
	}
}

// reportCopies reports the copies (report.Copies) and picks the exit
// code: 0 only when every copy was made and, if followed, is Available;
// 5 when one became Unavailable.
func reportCopies(io *iostreams.IOStreams, asJSON bool, source *report.ImageRecord, sourceID string, results []imagecopy.Result, waited bool) error {
	if err := report.Copies(io, asJSON, source, sourceID, results, waited); err != nil {
		return err
	}
	cerr := importer.CopiesFailed(results)
	if cerr == nil {
		return nil
	}
	// Each failure was explained above; the exit code comes from all of
	// them (5 for any Unavailable).
	return &exitError{code: ExitCode(cerr), err: importer.CopiesSummary(cerr)}
}
