package cli

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/config"
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
	fs.StringVar(&g.BaseURL, "base-url", "", "API endpoint (env UCLOUD_API_BASE_URL; default "+apiclient.DefaultBaseURL+")")
	fs.DurationVar(&g.Timeout, "timeout", apiclient.DefaultTimeout, "time limit for each API request")
	fs.StringVarP(&g.Output, "output", "o", "text", "output format: text or json")
	fs.BoolVar(&g.Demo, "demo", false, "use the built-in API simulator with demo keys (no account needed)")
}

// settings are the values in force after flags, environment and config.
type settings struct {
	Profile string
	BaseURL string
	Timeout time.Duration
	JSON    bool
	Demo    bool
	Config  config.Config
}

// resolve applies the order flag > environment > config file > default.
func (a *App) resolve(g *globalFlags) (settings, error) {
	cfg := a.loadConfig()
	s := settings{
		Profile: first(g.Profile, a.Getenv("UCLOUD_PROFILE"), cfg.Profile, "default"),
		BaseURL: first(g.BaseURL, a.Getenv("UCLOUD_API_BASE_URL"), cfg.BaseURL, apiclient.DefaultBaseURL),
		Timeout: g.Timeout,
		Demo:    g.Demo,
		Config:  cfg,
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

// first returns the first non-empty value.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
