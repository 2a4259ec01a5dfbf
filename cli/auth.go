package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/huh/v2"
	"github.com/spf13/cobra"

	"github.com/uimport/uimport/keystore"
)

func newAuthCmd(app *App, g *globalFlags) *cobra.Command {
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
	cmd.AddCommand(newAuthLoginCmd(app, g), newAuthStatusCmd(app, g), newAuthLogoutCmd(app, g))
	return cmd
}

func newAuthLoginCmd(app *App, g *globalFlags) *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Save API keys for a profile in the OS keyring",
		Example: "  uimport auth login\n" +
			"  printf '%s\\n%s\\n' \"$PUB\" \"$PRIV\" | uimport auth login --stdin --profile ci",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := app.resolve(g)
			if err != nil {
				return err
			}
			var creds keystore.Credentials
			switch {
			case fromStdin:
				creds, err = readCredentials(app.IO.In)
			case app.IO.CanPrompt():
				creds, err = promptCredentials(cmd.Context(), app, s.Profile)
			default:
				return usageErrorf("Pipe the public key and the private key, one per line, into `uimport auth login --stdin`.",
					"no terminal to ask for the keys")
			}
			if err != nil {
				return keyringSaveError(err) // invalid keys are bad input: exit 2 with a hint
			}
			if err := app.Keystore(s.Profile).Save(cmd.Context(), creds); err != nil {
				return keyringSaveError(err)
			}
			okf(app.IO.Err, "Saved keys for profile %q in the OS keyring (public key %s).", s.Profile, keystore.MaskPublicKey(creds.PublicKey))
			return nil
		},
	}
	cmd.Flags().BoolVar(&fromStdin, "stdin", false, "read the public key, then the private key, one per line from standard input")
	return cmd
}

// readCredentials reads two lines: public key, then private key.
func readCredentials(r io.Reader) (keystore.Credentials, error) {
	sc := bufio.NewScanner(r)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return keystore.Credentials{}, usageErrorf("Give the public key on the first line and the private key on the second.",
			"expected two lines on standard input")
	}
	return keystore.Credentials{PublicKey: lines[0], PrivateKey: lines[1]}.Normalize()
}

// promptCredentials asks on the terminal; the private key is masked.
func promptCredentials(ctx context.Context, app *App, profile string) (keystore.Credentials, error) {
	var c keystore.Credentials
	notEmpty := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("required")
		}
		return nil
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Public key").
			Description(fmt.Sprintf("For profile %q. From the console: Account → API keys.", profile)).
			Value(&c.PublicKey).Validate(notEmpty),
		huh.NewInput().Title("Private key").Description("Hidden as you type; stored only in the OS keyring.").
			EchoMode(huh.EchoModePassword).Value(&c.PrivateKey).Validate(notEmpty),
	)).WithInput(app.IO.In).WithOutput(app.IO.Err).WithAccessible(accessible(app))
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) || ctxErr(ctx) {
			return c, errInterrupted
		}
		return c, err
	}
	return c.Normalize()
}

// keyringSaveError explains what to do when the keyring cannot keep the keys.
func keyringSaveError(err error) error {
	if errors.Is(err, keystore.ErrKeyringUnavailable) {
		return &usageError{msg: err.Error(),
			hint: "Without a keyring (e.g. over SSH), set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY, or use the ucloud CLI's ~/.ucloud/credential.json (mode 0600)."}
	}
	if errors.Is(err, keystore.ErrInvalidCredentials) {
		return &usageError{msg: err.Error(), hint: "Copy the keys again from the console's API key page."}
	}
	return err
}

// authStatus is `auth status --output json`.
type authStatus struct {
	Profile   string   `json:"profile"`
	Source    string   `json:"source"`
	PublicKey string   `json:"public_key_masked"`
	Notes     []string `json:"notes,omitempty"`
}

func newAuthStatusCmd(app *App, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show which keys would be used, and from where (never the private key)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := app.resolve(g)
			if err != nil {
				return err
			}
			r, err := app.Keystore(s.Profile).Resolve(cmd.Context())
			if err != nil {
				for _, n := range r.Notes {
					notef(app.IO.Err, "%s", n)
				}
				return &usageError{msg: err.Error(), hint: "Run `uimport auth login`, or set UCLOUD_PUBLIC_KEY and UCLOUD_PRIVATE_KEY."}
			}
			st := authStatus{Profile: s.Profile, Source: r.Origin(), PublicKey: keystore.MaskPublicKey(r.Credentials.PublicKey), Notes: r.Notes}
			if s.JSON {
				return writeJSON(app.IO.Out, st)
			}
			for _, n := range r.Notes {
				notef(app.IO.Err, "%s", n)
			}
			fmt.Fprintf(app.IO.Out, "Profile:     %s\nSource:      %s\nPublic key:  %s\nPrivate key: set (never shown)\n", st.Profile, st.Source, st.PublicKey)
			return nil
		},
	}
}

func newAuthLogoutCmd(app *App, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Remove a profile's keys from the OS keyring",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := app.resolve(g)
			if err != nil {
				return err
			}
			err = app.Keystore(s.Profile).Delete(cmd.Context())
			switch {
			case errors.Is(err, keystore.ErrNotFound):
				notef(app.IO.Err, "No keys for profile %q in the OS keyring: nothing to remove.", s.Profile)
				return nil
			case err != nil:
				return keyringSaveError(err)
			}
			okf(app.IO.Err, "Removed the keys for profile %q from the OS keyring.", s.Profile)
			if app.Getenv("UCLOUD_PUBLIC_KEY") != "" {
				notef(app.IO.Err, "UCLOUD_PUBLIC_KEY is still set in this shell and takes precedence.")
			}
			return nil
		},
	}
}

// accessible reports whether prompts should be plain lines for screen
// readers and dumb terminals.
func accessible(app *App) bool {
	return app.Getenv("ACCESSIBLE") != "" || app.Getenv("TERM") == "dumb"
}
