package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/report"
	"github.com/uimport/uimport/ui"
)

// NewCmdAuth is `uimport auth` and its subcommands.
func NewCmdAuth(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Store, show or remove API keys in the OS keyring",
		Long: "uimport looks for API keys in this order, and always says which it used:\n" +
			"  1. UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY\n" +
			"  2. the OS keyring (macOS Keychain, Windows Credential Manager, Secret Service)\n" +
			"  3. the official ucloud CLI's ~/.ucloud/credential.json\n" +
			"  4. a prompt in the wizard, which offers to save to the keyring\n" +
			"Keys are kept per profile (--profile, env UCLOUD_PROFILE, default \"default\").\n" +
			"There is no flag for the private key: command lines end up in shell history.",
	}
	cmd.AddCommand(NewCmdAuthLogin(f, nil), NewCmdAuthStatus(f, nil), NewCmdAuthLogout(f, nil))
	return cmd
}

// AuthOptions are the auth subcommands' flags and dependencies.
type AuthOptions struct {
	IO      *iostreams.IOStreams
	Factory *Factory
	Ctx     context.Context

	FromStdin bool // login --stdin
}

// newAuthCmd builds one auth subcommand around run.
func newAuthCmd(f *Factory, use, short string, runF, run func(*AuthOptions) error) (*cobra.Command, *AuthOptions) {
	opts := &AuthOptions{IO: f.IOStreams, Factory: f}
	return &cobra.Command{
		Use: use, Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}, opts
}

// NewCmdAuthLogin is `uimport auth login`.
func NewCmdAuthLogin(f *Factory, runF func(*AuthOptions) error) *cobra.Command {
	cmd, opts := newAuthCmd(f, "login", "Save API keys for a profile in the OS keyring", runF, runAuthLogin)
	cmd.Example = "  uimport auth login\n" +
		"  printf '%s\\n%s\\n' \"$PUB\" \"$PRIV\" | uimport auth login --stdin --profile ci"
	cmd.Flags().BoolVar(&opts.FromStdin, "stdin", false, "read the public key, then the private key, one per line from standard input")
	return cmd
}

func runAuthLogin(opts *AuthOptions) error {
	f, ctx := opts.Factory, opts.Ctx
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	var creds keystore.Credentials
	switch {
	case opts.FromStdin:
		creds, err = importer.ReadKeys(opts.IO.In)
	case opts.IO.CanPrompt():
		creds, err = ui.PromptKeys(ctx, opts.IO, s.Profile)
	default:
		return usageErrorf("Pipe the public key and the private key, one per line, into `uimport auth login --stdin`.",
			"no terminal to ask for the keys")
	}
	if err := importer.SaveKeys(ctx, f.Keystore(s.Profile), creds, err); err != nil {
		return err
	}
	okf(opts.IO, "Saved keys for profile %q in the OS keyring (public key %s).", s.Profile, keystore.MaskPublicKey(creds.PublicKey))
	return nil
}

// NewCmdAuthStatus is `uimport auth status`.
func NewCmdAuthStatus(f *Factory, runF func(*AuthOptions) error) *cobra.Command {
	cmd, _ := newAuthCmd(f, "status", "Show which keys would be used, and from where (never the private key)", runF, runAuthStatus)
	return cmd
}

func runAuthStatus(opts *AuthOptions) error {
	f, io := opts.Factory, opts.IO
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	st, err := importer.ResolveKeys(opts.Ctx, f.Keystore(s.Profile), s.Profile)
	return report.Keys(io, s.JSON, st, err)
}

// NewCmdAuthLogout is `uimport auth logout`.
func NewCmdAuthLogout(f *Factory, runF func(*AuthOptions) error) *cobra.Command {
	cmd, _ := newAuthCmd(f, "logout", "Remove a profile's keys from the OS keyring", runF, runAuthLogout)
	return cmd
}

func runAuthLogout(opts *AuthOptions) error {
	f, io := opts.Factory, opts.IO
	s, err := f.resolve(&f.flags)
	if err != nil {
		return err
	}
	found, err := importer.DeleteKeys(opts.Ctx, f.Keystore(s.Profile))
	switch {
	case err != nil:
		return err
	case !found:
		notef(io, "No keys for profile %q in the OS keyring: nothing to remove.", s.Profile)
		return nil
	}
	okf(io, "Removed the keys for profile %q from the OS keyring.", s.Profile)
	if f.Getenv("UCLOUD_PUBLIC_KEY") != "" {
		notef(io, "UCLOUD_PUBLIC_KEY is still set in this shell and takes precedence.")
	}
	return nil
}
