package cli

import (
	"context"
	"io"
	"os"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
)

// Run executes uimport with args and returns the process exit code.
func Run(ctx context.Context, app *App, args []string) int {
	root := NewRootCmd(app)
	root.SetArgs(args)
	root.SetIn(app.IO.In)
	root.SetOut(app.IO.Out)
	root.SetErr(app.IO.Err)
	err := fang.Execute(ctx, root,
		fang.WithVersion(versionLine(app.Build)),
		fang.WithCommit(app.Build.Commit),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { printError(w, err) }),
		fang.WithNotifySignal(os.Interrupt),
	)
	return ExitCode(err)
}

// NewRootCmd builds the command tree.
func NewRootCmd(app *App) *cobra.Command {
	g, wf := &globalFlags{}, &wizardFlags{}
	root := &cobra.Command{
		Use:   "uimport",
		Short: "Import disk images into UCloud-family clouds",
		Long: "uimport imports a disk image stored in UFile into UHost (SCloud, UCloud, SurferCloud) as a custom image.\n\n" +
			"On a terminal, run it with no arguments for a step-by-step wizard. Scripts use `uimport import --yes` with flags; every wizard field has one.",
		Example: "  uimport --demo\n" +
			"  uimport import --yes --region sg --name web-base --url https://b.sg.ufileos.com/web.qcow2 --os-type Ubuntu --os-name 'Ubuntu 22.04 64位' --format qcow2\n" +
			"  uimport auth login",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRootWizard(cmd, app, g, wf) // help when not on a terminal
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("Run with --help to see the flags.", err.Error())
	})
	g.register(root.PersistentFlags())
	wf.register(root.Flags())
	root.AddCommand(
		newImportCmd(app, g),
		newUploadCmd(app, g),
		newAuthCmd(app, g),
		newStatusCmd(app, g),
		newHistoryCmd(app, g),
		newVersionCmd(app),
	)
	return root
}
