package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/report"
	"github.com/uimport/uimport/ui"
)

// WizardOptions are the wizard's: bare `uimport`, and `import` on a
// terminal without --yes or --dry-run.
type WizardOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	Settings   settings
	Spec       importspec.Spec
	File       importer.FileSpec
	Accessible bool
	SkipCheck  bool
}

// runRootWizard is bare `uimport` on a terminal.
func runRootWizard(cmd *cobra.Command, opts *WizardOptions) error {
	s, err := opts.Factory.resolve(&opts.Factory.flags)
	if err != nil {
		return err
	}
	if s.JSON {
		return cmd.Help() // JSON is for scripts, which use `uimport import --yes`
	}
	opts.Settings = s
	opts.Spec = importspec.Spec{Region: s.Region, ProjectID: s.ProjectID}.Normalize()
	return runWizard(opts)
}

// runWizard runs the wizard with the spec pre-filled, then prints the
// outcome on the normal screen, where it stays in the scrollback.
func runWizard(opts *WizardOptions) error {
	s := opts.Settings
	sess, err := opts.Factory.open(s)
	if err != nil {
		return err
	}
	defer sess.Close()
	spec := opts.Spec
	spec.AllowHTTP = spec.AllowHTTP || sess.AllowHTTP()
	opts.IO.SetAccessible(opts.Accessible)
	res, err := ui.Run(opts.Ctx, ui.Options{
		Spec: spec.Normalize(),
		// Last time's choices fill what the image does not say; flags are
		// compared with the image.
		Remembered: importspec.Spec{OsType: s.Config.LastOsType, Format: s.Config.LastFormat},
		Profile:    s.Profile,
		Demo:       sess.Demo(),
		Backend:    ui.SessionBackend(sess, !opts.SkipCheck),
		File:       opts.File,
		Accessible: opts.IO.Accessible(),
		IO:         opts.IO,
		In:         opts.IO.In,
		Out:        opts.IO.ErrOut,
		Now:        opts.Factory.Now,
	})
	if err != nil {
		return err
	}
	return reportWizard(opts.IO, sess, res)
}

// reportWizard prints what the wizard did and picks the exit code: the
// ImageId alone on stdout, the rest on stderr.
func reportWizard(io *iostreams.IOStreams, sess *importer.Session, res ui.Result) error {
	report.Curl(io, res.Curl)
	switch {
	case res.ImageID != "":
		sess.Remember(res.Spec.Region, res.Spec.ProjectID, res.Spec.OsType, res.Spec.Format)
		report.WizardImport(io, res.ImageID, res.Spec.Name, res.Spec.Region, res.State, sess.CommandLine(res.Spec)+importer.SkipCheckFlag(res.ChecksOverridden)+importer.CopyRepeatFlags(res.Copies))
		switch {
		case len(res.Copies) > 0:
			// The copies' ImageIds follow the import's; 5 if one became Unavailable.
			err := reportCopies(io, false, nil, res.ImageID, res.Copies, !res.CopiesStopped)
			if err == nil && res.Interrupted {
				return &exitError{code: ExitInterrupted, err: errAlreadyReported}
			}
			return err
		case res.State == apiclient.StateUnavailable:
			return &exitError{code: ExitUnavailable, err: fmt.Errorf("image %s ended Unavailable: the import failed; check the file is a system disk in the declared format", res.ImageID)}
		case res.Interrupted:
			return &exitError{code: ExitInterrupted, err: errAlreadyReported}
		}
		return nil
	case res.Err != nil:
		if res.Interrupted {
			return &exitError{code: ExitInterrupted, err: res.Err}
		}
		return res.Err // exit 3 for a refusal, 4 for the network
	case res.Interrupted && res.UploadStopped:
		return sess.UploadStopped()
	case res.MaybeSent:
		return &exitError{code: ExitInterrupted, err: errors.New("interrupted while submitting: the import may have reached the API; check `uimport history` or the console before submitting again")}
	case res.Interrupted:
		return errInterrupted
	}
	notef(io, "Cancelled: nothing was sent.")
	return &exitError{code: ExitInterrupted, err: errAlreadyReported}
}
