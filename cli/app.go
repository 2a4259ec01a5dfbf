// Package cli wires uimport's commands: it turns flags, environment and config
// into calls on apiclient, keystore and ui, and turns their results into
// output and exit codes. It decides once whether a terminal is present.
package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/adrg/xdg"
	"github.com/charmbracelet/x/term"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/config"
	"github.com/uimport/uimport/keystore"
)

// BuildInfo is set by the linker in release builds.
type BuildInfo struct {
	Version string
	Commit  string
	Date    string
}

// IO holds the streams and what we know about them.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	InTTY  bool
	OutTTY bool
	ErrTTY bool
}

// CanPrompt reports whether a person can answer questions: input and the
// screen we draw on are both terminals.
func (s IO) CanPrompt() bool { return s.InTTY && s.ErrTTY }

// App holds everything a command depends on, so tests can replace any of it.
type App struct {
	IO     IO
	Build  BuildInfo
	Getenv func(string) string
	// Keystore returns the credential store for a profile.
	Keystore func(profile string) *keystore.Store
	// HTTP is the client for API calls; nil means http.DefaultClient.
	HTTP *http.Client
	// Now is the clock, for the journal and elapsed times.
	Now func() time.Time
	// StateDir is where the import journal lives (XDG_STATE_HOME or the
	// platform's equivalent).
	StateDir func() string
}

// NewApp returns an App wired to the real process.
func NewApp(build BuildInfo) *App {
	isTTY := func(f *os.File) bool { return term.IsTerminal(f.Fd()) }
	return &App{
		IO: IO{
			In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
			InTTY: isTTY(os.Stdin), OutTTY: isTTY(os.Stdout), ErrTTY: isTTY(os.Stderr),
		},
		Build:    build,
		Getenv:   os.Getenv,
		Keystore: keystore.NewStore,
		Now:      time.Now,
		StateDir: func() string { return xdg.StateHome },
	}
}

// userAgent names uimport and its version, as the SDKs do for themselves.
func (a *App) userAgent() string {
	return "uimport/" + a.Build.Version + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// configPath is where the config lives; an error means "no config dir".
func (a *App) configPath() (string, error) { return config.DefaultPath(a.Getenv) }

func (a *App) loadConfig() config.Config {
	p, err := a.configPath()
	if err != nil {
		return config.Config{}
	}
	c, err := config.Load(p)
	if err != nil {
		warnf(a.IO.Err, "%v", err)
	}
	return c
}

func (a *App) saveConfig(c config.Config) {
	p, err := a.configPath()
	if err == nil {
		err = config.Save(p, c)
	}
	if err != nil {
		warnf(a.IO.Err, "could not remember these choices: %v", err)
	}
}

// newClient builds an API client for resolved settings and keys.
func (a *App) newClient(s settings, keys apiclient.Keys) *apiclient.Client {
	c := apiclient.New(s.BaseURL, keys, a.userAgent())
	c.Timeout = s.Timeout
	c.HTTPClient = a.HTTP
	return c
}

// ctxErr reports whether the context ended, for the 130 exit code.
func ctxErr(ctx context.Context) bool { return ctx.Err() != nil }
