package importer

import (
	"os"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/config"
	"github.com/uimport/uimport/keystore"
)

// Settings are the values in force after flags, environment and config.
type Settings struct {
	Profile string
	BaseURL string
	// Region and ProjectID are the defaults when no flag gives them.
	Region    string
	ProjectID string
	Timeout   time.Duration
	Demo      bool
	// Config is the config file as read; Remember compares against it.
	Config config.Config
}

// Overrides are the global flags; empty means "not given".
type Overrides struct {
	Profile string
	BaseURL string
	Timeout time.Duration
	Demo    bool
}

// ResolveSettings applies the order flag > environment > config file > the
// official ucloud CLI's profile > default. The CLI's base_url matters most:
// keys only work on the host they belong to. A config file that could not
// be read is a warning, not a failure.
func ResolveSettings(getenv func(string) string, o Overrides) (Settings, []string) {
	var warnings []string
	cfg, err := loadConfig(getenv)
	if err != nil {
		warnings = append(warnings, err.Error())
	}
	profile := First(o.Profile, getenv("UCLOUD_PROFILE"), cfg.Profile, "default")
	cli := cliProfile(getenv, profile)
	return Settings{
		Profile:   profile,
		BaseURL:   First(o.BaseURL, getenv("UCLOUD_API_BASE_URL"), cfg.BaseURL, cli.BaseURL, apiclient.DefaultBaseURL),
		Region:    First(getenv("UCLOUD_REGION"), cfg.Region, cli.Region),
		ProjectID: First(getenv("UCLOUD_PROJECT_ID"), cfg.ProjectID, cli.ProjectID),
		Timeout:   o.Timeout,
		Demo:      o.Demo,
		Config:    cfg,
	}, warnings
}

func loadConfig(getenv func(string) string) (config.Config, error) {
	p, err := config.DefaultPath(getenv)
	if err != nil {
		return config.Config{}, nil // no config dir: nothing to read
	}
	return config.Load(p)
}

// cliProfile is the ucloud CLI's ~/.ucloud/config.json entry for profile,
// or nothing: a missing or broken file only means no defaults from it.
func cliProfile(getenv func(string) string, profile string) keystore.CLIProfile {
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	p, _, _ := keystore.LoadCLIProfile(home, profile)
	p.BaseURL = strings.TrimRight(p.BaseURL, "/")
	return p
}

// First returns the first non-empty value.
func First(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
