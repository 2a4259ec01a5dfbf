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

// Load reads the file; a missing file is an empty config, not an error.
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
		return Config{}, fmt.Errorf("%s is not valid JSON (%v): fix or delete it", path, err)
	}
	return c, nil
}

// Save writes the file atomically with mode 0600, so a crash never leaves
// half a file and other users cannot read the account's project ids.
func Save(path string, c Config) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
