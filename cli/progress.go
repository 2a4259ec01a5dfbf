package cli

import (
	"context"
	"path/filepath"
	"time"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
	"github.com/uimport/uimport/upload"
)

// uploadFile runs an upload with progress on stderr and says what
// happened: notes (resumed, started over), then one line with size, time
// and verification.
func uploadFile(ctx context.Context, s *iostreams.IOStreams, now func() time.Time, path string, accessibleFlag bool,
	run func(context.Context, importer.Progress) (upload.Result, error)) (upload.Result, error) {
	s.SetAccessible(accessibleFlag)
	pv := report.NewUploadProgress(s, now, filepath.Base(path))
	res, err := run(ctx, importer.Progress{Func: pv.Update, Every: report.BarEvery})
	pv.Clear()
	if err != nil {
		return res, err
	}
	notes, summary := importer.UploadReport(path, res)
	for _, n := range notes {
		notef(s, "%s", n)
	}
	okf(s, "%s", summary)
	return res, nil
}
