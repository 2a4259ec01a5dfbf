// Package importer carries out uimport's use cases, once, for every face:
// the command line and both wizard modes call it. A Session is opened per
// command with the settings in force; its methods find credentials, build
// the API client, resolve where an object goes in UFile, check a local file
// or an object, upload, submit the import through the journal, and follow
// it. They return values, progress through callbacks and typed errors;
// they never print and never ask (notes and warnings go to Events, which
// the caller renders or drops).
//
// Demo mode is a backend chosen once, in Open: the simulator's keys and
// host, no state kept between runs, a quick poll, http objects, nothing
// remembered. Nothing outside this file and demo.go asks whether it is on.
package importer

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/config"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/journal"
	"github.com/uimport/uimport/keystore"
	"github.com/uimport/uimport/upload"
)

// Config is what a Session needs from the process.
type Config struct {
	Settings Settings
	// Version goes into the User-Agent.
	Version string
	// HTTP is the client for API calls; nil means http.DefaultClient.
	HTTP *http.Client
	// StateHome is XDG_STATE_HOME or the platform's equivalent: the journal
	// and the upload state live under it.
	StateHome func() string
	// Keystore returns the credential store for a profile.
	Keystore func(profile string) *keystore.Store
	Getenv   func(string) string
	Now      func() time.Time
	Events   Events
}

// Events receive what a use case has to say while it runs; a nil func
// drops it. The command line prints them; the wizard keeps its screen.
type Events struct {
	Note func(string)
	Warn func(string)
}

func (e Events) note(format string, a ...any) {
	if e.Note != nil {
		e.Note(fmt.Sprintf(format, a...))
	}
}

func (e Events) warn(format string, a ...any) {
	if e.Warn != nil {
		e.Warn(fmt.Sprintf(format, a...))
	}
}

// KeyStore finds and saves API keys without prompting; *keystore.Store
// satisfies it, and so does the demo's.
type KeyStore interface {
	Resolve(ctx context.Context) (keystore.Resolved, error)
	Save(ctx context.Context, c keystore.Credentials) error
}

// backend is what differs between the real cloud and the simulator,
// decided once when the session opens.
type backend struct {
	demo *demoBackend // nil for the real cloud
	keys KeyStore
	// uploadState is where interrupted uploads are remembered; "" keeps none.
	uploadState string
	// pollFirst is the first wait between DescribeImage polls.
	pollFirst time.Duration
	// allowHTTP: objects may be on http:// (the simulator's are).
	allowHTTP bool
	// remember: successful choices are saved in the config file.
	remember bool
}

// Session is one command's connection to an API: the real one, or the
// simulator started in-process. Credentials are resolved once, on first use.
type Session struct {
	cfg      Config
	settings Settings
	be       backend
	creds    *Credentials
	plans    *planCache // what each local file's upload sends (convert.go)
}

// Open starts a session; for demo settings it starts the simulator.
func Open(cfg Config) (*Session, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Session{cfg: cfg, settings: cfg.Settings, plans: &planCache{}}
	if cfg.Settings.Demo {
		return s, s.openDemo()
	}
	s.be = backend{
		keys:        cfg.Keystore(cfg.Settings.Profile),
		uploadState: upload.StateDir(cfg.StateHome()),
		pollFirst:   follow.DefaultFirstWait,
		remember:    true,
	}
	return s, nil
}

// Close stops the simulator, if any.
func (s *Session) Close() {
	if s.be.demo != nil {
		s.be.demo.srv.Close()
	}
}

// Settings are the session's settings; in demo mode BaseURL is the
// simulator's.
func (s *Session) Settings() Settings { return s.settings }

// Demo reports whether the session runs against the simulator: for the
// banner and the records that say so, never for behaviour.
func (s *Session) Demo() bool { return s.be.demo != nil }

// AllowHTTP reports whether objects on http:// are fine (the simulator's).
func (s *Session) AllowHTTP() bool { return s.be.allowHTTP }

// PollInterval is the first wait between DescribeImage polls.
func (s *Session) PollInterval() time.Duration { return s.be.pollFirst }

// KeyStore is where this session's keys come from and may be saved.
func (s *Session) KeyStore() KeyStore { return s.be.keys }

// SavesKeys reports whether typed keys may be offered a place in the OS
// keyring (demo keys are never saved).
func (s *Session) SavesKeys() bool { return s.be.demo == nil }

// WithEvents is the same session reporting to ev instead.
func (s *Session) WithEvents(ev Events) *Session {
	c := *s
	c.cfg.Events = ev
	return &c
}

// Quiet is the same session keeping its warnings and dropping its notes:
// for a face that shows what happens on its own screen.
func (s *Session) Quiet() *Session { return s.WithEvents(Events{Warn: s.cfg.Events.Warn}) }

// UserAgent names uimport and its version, as the SDKs do for themselves.
func (s *Session) UserAgent() string {
	return "uimport/" + s.cfg.Version + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// Client is an API client for the session's host and keys.
func (s *Session) Client(keys apiclient.Keys) *apiclient.Client {
	c := apiclient.New(s.settings.BaseURL, keys, s.UserAgent())
	c.Timeout = s.settings.Timeout
	c.HTTPClient = s.cfg.HTTP
	return c
}

// Journal is the import journal in the OS state directory.
func (s *Session) Journal() *journal.Journal { return OpenJournal(s.cfg.StateHome()) }

// OpenJournal is the journal under a state home, for commands that need
// no session (history).
func OpenJournal(stateHome string) *journal.Journal { return journal.Open(journal.Path(stateHome)) }

// Remember keeps the choices a person would otherwise retype next time,
// where the backend remembers at all; a failure is a warning.
func (s *Session) Remember(region, projectID, osType, format string) {
	if !s.be.remember {
		return
	}
	c := s.settings.Config
	c.Region, c.ProjectID, c.LastOsType, c.LastFormat = region, projectID, osType, format
	if c == s.settings.Config {
		return
	}
	p, err := config.DefaultPath(s.cfg.Getenv)
	if err == nil {
		err = config.Save(p, c)
	}
	if err != nil {
		s.cfg.Events.warn("could not remember these choices: %v", err)
	}
}
