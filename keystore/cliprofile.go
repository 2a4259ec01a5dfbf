package keystore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// The official ucloud CLI keeps its profiles in two JSON arrays under
// ~/.ucloud. This package only ever reads them.
const (
	cliDir            = ".ucloud"
	cliCredentialFile = "credential.json"
	cliConfigFile     = "config.json"
)

// CLIProfile is one profile's settings from the ucloud CLI's
// ~/.ucloud/config.json, for callers that want its region, project and API
// host as defaults. It holds no keys.
type CLIProfile struct {
	Name       string
	Active     bool
	ProjectID  string
	Region     string
	Zone       string
	BaseURL    string
	TimeoutSec int
}

type cliCredential struct {
	Profile    string `json:"profile"`
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

type cliConfig struct {
	Profile    string `json:"profile"`
	Active     bool   `json:"active"`
	ProjectID  string `json:"project_id"`
	Region     string `json:"region"`
	Zone       string `json:"zone"`
	BaseURL    string `json:"base_url"`
	TimeoutSec int    `json:"timeout_sec"`
}

// LoadCLIProfile returns the ucloud CLI's settings for profile from
// homeDir/.ucloud/config.json, choosing the profile the same way Resolve does
// (see cliProfileName). found is false when the CLI is not set up or has no
// such profile; err is non-nil only when a file exists but cannot be read or
// parsed.
func LoadCLIProfile(homeDir, profile string) (p CLIProfile, found bool, err error) {
	if homeDir == "" {
		return CLIProfile{}, false, errors.New("home directory unknown: cannot look for ucloud CLI profiles")
	}
	profile = profileOrDefault(profile)
	configs, err := readCLIFile[cliConfig](homeDir, cliConfigFile)
	if err != nil {
		return CLIProfile{}, false, err
	}
	// Only the profile names in credential.json matter here, and a broken
	// credential file should not hide the settings.
	creds, _ := readCLIFile[cliCredential](homeDir, cliCredentialFile)
	name, _ := cliProfileName(profile, creds, configs)
	for _, c := range configs {
		if c.Profile == name {
			return CLIProfile{
				Name:       c.Profile,
				Active:     c.Active,
				ProjectID:  c.ProjectID,
				Region:     c.Region,
				Zone:       c.Zone,
				BaseURL:    c.BaseURL,
				TimeoutSec: c.TimeoutSec,
			}, true, nil
		}
	}
	return CLIProfile{}, false, nil
}

// cliProfileName decides which CLI profile "profile" means. A named profile
// means itself. "default" means the CLI's "default" credentials if there are
// any, and otherwise the profile config.json marks active, because that is
// what a user who ran `ucloud config --profile work --active true` expects
// bare commands to use. viaActive reports the second case.
func cliProfileName(profile string, creds []cliCredential, configs []cliConfig) (name string, viaActive bool) {
	if profile != DefaultProfile || hasCLIProfile(creds, DefaultProfile) {
		return profile, false
	}
	for _, c := range configs {
		if c.Active && c.Profile != "" {
			return c.Profile, true
		}
	}
	return DefaultProfile, false
}

func hasCLIProfile(creds []cliCredential, name string) bool {
	for _, c := range creds {
		if c.Profile == name {
			return true
		}
	}
	return false
}

// credentialsFromCLI looks up profile in the ucloud CLI's files. name is the
// CLI profile actually used; notes explain anything skipped or worth fixing.
func credentialsFromCLI(homeDir, profile string) (c Credentials, name string, ok bool, notes []string) {
	if homeDir == "" {
		return Credentials{}, "", false, []string{"home directory unknown: ucloud CLI profiles skipped"}
	}
	credPath := filepath.Join(homeDir, cliDir, cliCredentialFile)
	if note := permissionNote(credPath); note != "" {
		notes = append(notes, note)
	}
	creds, err := readCLIFile[cliCredential](homeDir, cliCredentialFile)
	if err != nil {
		return Credentials{}, "", false, append(notes, err.Error()+": ucloud CLI profiles skipped")
	}
	if creds == nil {
		return Credentials{}, "", false, notes // the CLI is not set up: nothing to say
	}
	// config.json matters only for the active-profile rule, so it is read,
	// and a broken one reported, only when that rule applies.
	var configs []cliConfig
	if profile == DefaultProfile && !hasCLIProfile(creds, DefaultProfile) {
		configs, err = readCLIFile[cliConfig](homeDir, cliConfigFile)
		if err != nil {
			notes = append(notes, err.Error()+": active profile unknown")
		}
	}
	name, viaActive := cliProfileName(profile, creds, configs)
	for _, entry := range creds {
		if entry.Profile != name {
			continue
		}
		if viaActive {
			notes = append(notes, fmt.Sprintf("ucloud CLI has no profile %q; using its active profile %q", profile, name))
		}
		c, err := Credentials{PublicKey: entry.PublicKey, PrivateKey: entry.PrivateKey}.Normalize()
		if err != nil {
			return Credentials{}, "", false, append(notes, fmt.Sprintf("ucloud CLI profile %q skipped: %v", name, err))
		}
		return c, name, true, notes
	}
	return Credentials{}, "", false, append(notes, fmt.Sprintf("ucloud CLI has no profile %q in ~/%s/%s", name, cliDir, cliCredentialFile))
}

// readCLIFile parses one of the CLI's JSON arrays. A missing or empty file
// gives (nil, nil). Errors are one line, name the file as ~/.ucloud/..., and never
// quote the content, which may hold a private key.
func readCLIFile[T any](homeDir, file string) ([]T, error) {
	display := "~/" + cliDir + "/" + file
	data, err := os.ReadFile(filepath.Join(homeDir, cliDir, file))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the message
		}
		return nil, fmt.Errorf("cannot read %s (%v)", display, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil // as good as missing
	}
	var entries []T
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("%s is not valid (%s)", display, describeJSONError(data, err))
	}
	return entries, nil
}

// describeJSONError locates a JSON error by line and column instead of
// repeating encoding/json's message, which can quote a character of the input.
func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		if syn.Offset >= int64(len(data)) {
			return "the JSON ends too early"
		}
		line, col := lineCol(data, syn.Offset)
		return fmt.Sprintf("malformed JSON at line %d, column %d", line, col)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		line, col := lineCol(data, typ.Offset)
		if typ.Field == "" {
			return fmt.Sprintf("expected a JSON array of profiles, found %s", typ.Value)
		}
		return fmt.Sprintf("field %q has the wrong type (%s) at line %d, column %d", typ.Field, typ.Value, line, col)
	}
	return "cannot parse JSON"
}

// lineCol turns encoding/json's offset, which counts the bytes read up to and
// including the offending one, into a 1-based line and column.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset-1, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// permissionNote warns when the CLI's credential file can be read by other
// users. The CLI writes it 0600; anything looser is worth fixing. Windows
// has no such mode bits.
func permissionNote(path string) string {
	if runtime.GOOS == "windows" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o044 == 0 {
		return ""
	}
	display := "~/" + cliDir + "/" + cliCredentialFile
	return fmt.Sprintf("%s is readable by other users (mode %04o): run chmod 600 %s", display, fi.Mode().Perm(), display)
}
