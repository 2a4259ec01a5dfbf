package cli

import (
	"context"
	"io"
	"os"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
)

// Run executes uimport with args and returns the process exit code.
func Run(ctx context.Context, f *Factory, args []string) int {
	ctx, signalled, release := withStopSignals(ctx)
	defer release()
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	err := fang.Execute(ctx, root,
		fang.WithVersion(versionLine(f.Build)),
		fang.WithCommit(f.Build.Commit),
		fang.WithErrorHandler(func(_ io.Writer, _ fang.Styles, err error) { printError(f.IOStreams, err) }),
		fang.WithNotifySignal(os.Interrupt),
	)
	code := ExitCode(err)
	if n := signalled(); n != 0 && code == ExitInterrupted {
		code = n
	}
	return code
}

// NewCmdRoot builds the command tree. Bare `uimport` is the wizard on a
// terminal, help elsewhere.
func NewCmdRoot(f *Factory) *cobra.Command {
	opts := &WizardOptions{IO: f.IOStreams, Factory: f}
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
			if !f.IOStreams.CanPrompt() {
				return cmd.Help()
			}
			opts.Ctx = cmd.Context()
			return runRootWizard(cmd, opts)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("Run with --help to see the flags.", err.Error())
	})
	f.flags.register(root.PersistentFlags())
	root.Flags().BoolVar(&opts.Accessible, "accessible", false, "ask line by line, for screen readers (env ACCESSIBLE=1; automatic with TERM=dumb)")
	root.AddCommand(
		NewCmdImport(f, nil),
		NewCmdUpload(f, nil),
		NewCmdInspect(f, nil),
		NewCmdCopy(f, nil),
		NewCmdAuth(f),
		NewCmdStatus(f, nil),
		NewCmdHistory(f, nil),
		NewCmdVersion(f),
	)
	return root
}
