// Package config keeps the user's defaults between runs: region, project,
// base URL, profile and the last OS type and format. It never holds a secret:
// the struct has no field for one, so none can be written by mistake.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Config is the file's content. Empty fields mean "no default".
type Config struct {
	Region     string `json:"region,omitempty"`
	ProjectID  string `json:"project_id,omitempty"`
	BaseURL    string `json:"base_url,omitempty"`
	Profile    string `json:"profile,omitempty"`
	LastOsType string `json:"last_os_type,omitempty"`
	LastFormat string `json:"last_format,omitempty"`
}

// DefaultPath is <user config dir>/uimport/config.json; UIMPORT_CONFIG overrides it.
func DefaultPath(getenv func(string) string) (string, error) {
	if p := getenv("UIMPORT_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory: %w", err)
	}
	return filepath.Join(dir, "uimport", "config.json"), nil
}

// ErrUnparsable matches (errors.Is) a config file that exists but is not
// valid JSON of the expected shape. Such a file is never rewritten: what
// the user wrote in it (base URL, profile, project) would be lost.
var ErrUnparsable = errors.New("the config file cannot be parsed")

// ParseError is Load's (and Save's) error for an unparsable file.
type ParseError struct {
	Path string
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s is not valid JSON (%v): fix or delete it; uimport leaves it as it is", e.Path, e.Err)
}
func (e *ParseError) Unwrap() error        { return e.Err }
func (e *ParseError) Is(target error) bool { return target == ErrUnparsable }

// Load reads the file; a missing file is an empty config, not an error. A
// file that does not parse gives an empty config and a *ParseError, to be
// shown as a warning; Save then refuses to overwrite it.
func Load(path string) (Config, error) {
	var c Config
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, &ParseError{Path: path, Err: err}
	}
	return c, nil
}

// Save writes the file atomically with mode 0600, so a crash never leaves
// half a file and other users cannot read the account's project ids: a
// temporary file is written and synced, renamed over the file, and the
// directory synced, so the new file survives a power cut too. It refuses
// (a *ParseError) to replace a file that does not parse, keeps keys it
// does not know (a newer uimport's), and writes through a symbolic link
// to its target rather than replacing the link.
func Save(path string, c Config) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	fields := map[string]json.RawMessage{}
	old, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(old, &fields); err != nil || fields == nil {
			if err == nil {
				err = errors.New("not a JSON object")
			}
			return &ParseError{Path: path, Err: err}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	known, err := json.Marshal(c)
	if err != nil {
		return err
	}
	var set map[string]json.RawMessage
	if err := json.Unmarshal(known, &set); err != nil {
		return err
	}
	for _, k := range []string{"region", "project_id", "base_url", "profile", "last_os_type", "last_format"} {
		delete(fields, k) // an emptied field is dropped, as omitempty would
	}
	for k, v := range set {
		fields[k] = v
	}
	data, err := json.MarshalIndent(fields, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(data, '\n'))
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".config-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot open a directory
// for syncing; there the rename is as durable as the OS makes it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
