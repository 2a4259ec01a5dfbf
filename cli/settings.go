package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/config"
	"github.com/uimport/uimport/keystore"
)

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

// settings are the values in force after flags, environment and config.
type settings struct {
	Profile string
	BaseURL string
	// Region and ProjectID are the defaults when no flag gives them.
	Region    string
	ProjectID string
	Timeout   time.Duration
	JSON      bool
	Demo      bool
	Config    config.Config
}

// resolve applies the order flag > environment > config file > the
// official ucloud CLI's profile > default. The CLI's base_url matters most:
// keys only work on the host they belong to.
func (a *App) resolve(g *globalFlags) (settings, error) {
	cfg := a.loadConfig()
	profile := first(g.Profile, a.Getenv("UCLOUD_PROFILE"), cfg.Profile, "default")
	cli := a.cliProfile(profile)
	s := settings{
		Profile:   profile,
		BaseURL:   first(g.BaseURL, a.Getenv("UCLOUD_API_BASE_URL"), cfg.BaseURL, cli.BaseURL, apiclient.DefaultBaseURL),
		Region:    first(a.Getenv("UCLOUD_REGION"), cfg.Region, cli.Region),
		ProjectID: first(a.Getenv("UCLOUD_PROJECT_ID"), cfg.ProjectID, cli.ProjectID),
		Timeout:   g.Timeout,
		Demo:      g.Demo,
		Config:    cfg,
	}
	switch g.Output {
	case "text":
	case "json":
		s.JSON = true
	default:
		return s, usageErrorf("Use --output text or --output json.", fmt.Sprintf("--output %q is not a format", g.Output))
	}
	if s.Timeout <= 0 {
		return s, usageErrorf("Give a positive duration, like --timeout 30s.", "--timeout must be positive")
	}
	return s, nil
}

// cliProfile is the ucloud CLI's ~/.ucloud/config.json entry for profile,
// or nothing: a missing or broken file only means no defaults from it.
func (a *App) cliProfile(profile string) keystore.CLIProfile {
	home := a.Getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	p, _, _ := keystore.LoadCLIProfile(home, profile)
	p.BaseURL = strings.TrimRight(p.BaseURL, "/")
	return p
}

// first returns the first non-empty value.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
