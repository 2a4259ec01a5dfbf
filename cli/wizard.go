package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/ui"
)

// wizardFlags are the wizard's own flags, on the root command and on import.
type wizardFlags struct {
	Accessible bool
}

func (w *wizardFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&w.Accessible, "accessible", false, "ask line by line, for screen readers (env ACCESSIBLE=1; automatic with TERM=dumb)")
}

// runRootWizard is bare `uimport`: the wizard on a terminal, help elsewhere.
func runRootWizard(cmd *cobra.Command, app *App, g *globalFlags, wf *wizardFlags) error {
	if !app.IO.CanPrompt() {
		return cmd.Help()
	}
	s, err := app.resolve(g)
	if err != nil {
		return err
	}
	if s.JSON {
		return cmd.Help() // JSON is for scripts, which use `uimport import --yes`
	}
	spec := importspec.Spec{
		Region:    s.Region,
		ProjectID: s.ProjectID,
	}
	return runWizard(cmd.Context(), app, s, spec.Normalize(), ui.FileSpec{}, wf.Accessible, false)
}

// runWizard runs the wizard with spec pre-filled, then prints the outcome
// on the normal screen, where it stays in the scrollback. Unless skipCheck,
// the wizard checks the object when the URL is confirmed, by the same rules
// as `import --yes`.
func runWizard(ctx context.Context, app *App, s settings, spec importspec.Spec, file ui.FileSpec, accessibleFlag, skipCheck bool) error {
	spec.OsType = first(spec.OsType, s.Config.LastOsType)
	spec.Format = first(spec.Format, s.Config.LastFormat)
	if s.Demo {
		spec.AllowHTTP = true // the simulator's demo objects are on http://127.0.0.1
	}
	sess, err := app.openSession(ctx, s)
	if err != nil {
		return err
	}
	defer sess.Close()

	var poll time.Duration // the default
	if s.Demo {
		poll = 500 * time.Millisecond // the simulator is quick; a newcomer should not wait
	}
	var client *apiclient.Client // the one built for the keys in use
	check := sess.runCheck
	if skipCheck {
		check = nil
	}
	var demoObject func(string) string
	if sess.demo != nil {
		// A URL the check really reads, so the demo shows it working.
		demoObject = func(format string) string { return demoapi.DemoObjectURL(sess.settings.BaseURL, format) }
	}
	opts := ui.Options{
		Spec:        spec.Normalize(),
		Profile:     s.Profile,
		Demo:        s.Demo,
		Credentials: sess.wizardCredentials(),
		NewAPI: func(k apiclient.Keys) ui.API {
			client = app.newClient(sess.settings, k)
			return client
		},
		Submit: func(ctx context.Context, req apiclient.PreparedRequest) (string, error) {
			return sess.submit(ctx, client, req) // journalled before it is sent
		},
		CheckObject:   check,
		DemoObjectURL: demoObject,
		Accessible:    accessibleFlag || accessible(app),
		In:            app.IO.In,
		Out:           app.IO.Err,
		Now:           app.Now,
		PollInterval:  poll,
		File:          file,
	}
	sess.addUploadHooks(&opts, spec.AllowHTTP)
	res, err := ui.Run(ctx, opts)
	if err != nil {
		return err
	}
	return reportWizard(app, s, res)
}

// reportWizard prints what the wizard did and picks the exit code: the
// ImageId alone on stdout, the rest on stderr.
func reportWizard(app *App, s settings, res ui.Result) error {
	w := app.IO.Err
	if res.Curl != "" {
		notef(w, "The request as a curl command (it holds the signature, never the private key):")
		fmt.Fprintln(w, res.Curl)
	}
	switch {
	case res.ImageID != "":
		if !s.Demo {
			remember(app, s, res.Spec)
		}
		fmt.Fprintln(app.IO.Out, res.ImageID)
		okf(w, "Import submitted: %s (%s) in %s.%s", res.ImageID, res.Spec.Name, res.Spec.Region, stateNote(res))
		fmt.Fprintln(w, "Next time: "+nextTimeCommand(s, res.Spec))
		switch {
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
		return uploadStoppedError(s.Demo)
	case res.MaybeSent:
		return &exitError{code: ExitInterrupted, err: errors.New("interrupted while submitting: the import may have reached the API; check `uimport history` or the console before submitting again")}
	case res.Interrupted:
		return errInterrupted
	}
	notef(w, "Cancelled: nothing was sent.")
	return &exitError{code: ExitInterrupted, err: errAlreadyReported}
}

// stateNote says where the build stands when the wizard ended.
func stateNote(res ui.Result) string {
	switch res.State {
	case apiclient.StateAvailable:
		return " It is Available: ready to use."
	case apiclient.StateUnavailable:
		return ""
	}
	return fmt.Sprintf(" It is being built; check with: uimport status %s --region %s", res.ImageID, res.Spec.Region)
}

// nextTimeCommand is the same import as flags, for scripts and repeats.
func nextTimeCommand(s settings, spec importspec.Spec) string {
	args := []string{"uimport", "import", "--yes"}
	add := func(flag, v string) {
		if v != "" {
			args = append(args, flag, shellArg(v))
		}
	}
	if s.Demo {
		args = append(args, "--demo")
	} else if s.BaseURL != apiclient.DefaultBaseURL {
		add("--base-url", s.BaseURL)
	}
	if s.Profile != "default" {
		add("--profile", s.Profile)
	}
	add("--region", spec.Region)
	add("--project-id", spec.ProjectID)
	add("--name", spec.Name)
	add("--url", spec.URL)
	add("--os-type", spec.OsType)
	add("--os-name", spec.OsName)
	add("--format", spec.Format)
	add("--tag", spec.Tag)
	add("--description", spec.Description)
	if spec.AllowHTTP && !s.Demo { // --demo allows http itself, for the simulator's objects
		args = append(args, "--allow-http")
	}
	return strings.Join(args, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)

// shellArg quotes v for POSIX shells when it needs it.
func shellArg(v string) string {
	if shellSafe.MatchString(v) {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// wizardCredentials is where the wizard looks for keys: the keystore
// (without prompting: the wizard asks itself), or the demo pair.
func (sess *session) wizardCredentials() ui.CredentialStore {
	if sess.demo != nil {
		return demoCredentials{}
	}
	return sess.app.Keystore(sess.settings.Profile)
}

// demoCredentials hands out the simulator's keys and never saves anything.
type demoCredentials struct{}

func (demoCredentials) Resolve(context.Context) (keystore.Resolved, error) {
	return keystore.Resolved{Credentials: keystore.Credentials{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}}, nil
}

func (demoCredentials) Save(context.Context, keystore.Credentials) error {
	return errors.New("demo keys are not saved")
}
