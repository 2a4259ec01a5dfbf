// Package cli wires uimport's commands, as gh writes them: each command has
// an Options struct holding its dependencies, NewCmdX(f, runF) that parses
// flags into it, and a plain runX(opts) that calls the importer service
// once and renders what it returns. The terminal is iostreams' business;
// the use cases are importer's.
package cli

import (
	"net/http"
	"time"

	"github.com/adrg/xdg"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/buildinfo"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/keystore"
)

// BuildInfo is what this binary is (version, commit, date).
type BuildInfo = buildinfo.Info

// Factory holds what every command depends on, so tests can replace any
// of it.
type Factory struct {
	// flags are the global flags, parsed by the root command.
	flags globalFlags

	IOStreams *iostreams.IOStreams
	Build     BuildInfo
	Getenv    func(string) string
	// Keystore returns the credential store for a profile.
	Keystore func(profile string) *keystore.Store
	// HTTP is the client for API calls; nil means http.DefaultClient.
	HTTP *http.Client
	// Now is the clock, for the journal and elapsed times.
	Now func() time.Time
	// StateHome is where the journal and upload state live (XDG_STATE_HOME
	// or the platform's equivalent).
	StateHome func() string
}

// NewFactory returns a Factory wired to the real process.
func NewFactory(build BuildInfo, getenv func(string) string) *Factory {
	return &Factory{
		IOStreams: iostreams.System(),
		Build:     build,
		Getenv:    getenv,
		Keystore:  keystore.NewStore,
		Now:       time.Now,
		StateHome: func() string { return xdg.StateHome },
	}
}

// sessionConfig is the importer's view of the factory, reporting notes and
// warnings on stderr.
func (f *Factory) sessionConfig(s importer.Settings) importer.Config {
	w := f.IOStreams
	return importer.Config{
		Settings: s, Version: f.Build.Version, HTTP: f.HTTP, StateHome: f.StateHome,
		Keystore: f.Keystore, Getenv: f.Getenv, Now: f.Now,
		Events: importer.Events{
			Note: func(s string) { notef(w, "%s", s) },
			Warn: func(s string) { warnf(w, "%s", s) },
		},
	}
}
