package cli

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/iostreams"
)

// The command line's side of a session: the global flags, the settings
// they resolve to, and the one place the command line speaks of demo mode
// (the banner, hints and the flag a repeat needs).

// errInterrupted is the importer's, for the error chains built here.
var errInterrupted = importer.ErrInterrupted

// globalFlags are accepted by every command.
type globalFlags struct {
	Profile string
	BaseURL string
	Timeout time.Duration
	Output  string
	Demo    bool
}

func (g *globalFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&g.Profile, "profile", "", "credential profile (env UCLOUD_PROFILE; default \"default\")")
	fs.StringVar(&g.BaseURL, "base-url", "", "endpoint of the API (env UCLOUD_API_BASE_URL; default "+apiclient.DefaultBaseURL+")")
	fs.DurationVar(&g.Timeout, "timeout", apiclient.DefaultTimeout, "time limit for each API request")
	fs.StringVarP(&g.Output, "output", "o", "text", "output format: text or json")
	fs.BoolVar(&g.Demo, "demo", false, "use the built-in API simulator with demo keys (no account needed)")
}

// settings are the importer's settings plus the output format.
type settings struct {
	importer.Settings
	JSON bool
}

// resolve applies flags over environment, config and the ucloud CLI's
// profile (importer.ResolveSettings), and checks the global flags.
func (f *Factory) resolve(g *globalFlags) (settings, error) {
	s, warnings := importer.ResolveSettings(f.Getenv, importer.Overrides{Profile: g.Profile, BaseURL: g.BaseURL, Timeout: g.Timeout, Demo: g.Demo})
	for _, w := range warnings {
		warnf(f.IOStreams, "%s", w)
	}
	out := settings{Settings: s}
	switch g.Output {
	case "text":
	case "json":
		out.JSON = true
	default:
		return out, usageErrorf("Use --output text or --output json.", fmt.Sprintf("--output %q is not a format", g.Output))
	}
	return out, s.Check()
}

// open starts the importer session for s and, in demo mode, says so on
// every run.
func (f *Factory) open(s settings) (*importer.Session, error) {
	sess, err := importer.Open(f.sessionConfig(s.Settings))
	if err != nil {
		return nil, err
	}
	if sess.Demo() {
		fmt.Fprintln(f.IOStreams.ColorErr(), iostreams.DemoBadge()+" "+iostreams.FaintStyle.Render("built-in API simulator: nothing reaches a real cloud"))
	}
	return sess, nil
}
