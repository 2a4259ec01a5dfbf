package keystore

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writeCLIFiles lays out homeDir/.ucloud like the ucloud CLI does; an empty
// string leaves that file out.
func writeCLIFiles(t *testing.T, credentialJSON, configJSON string) string {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, ".ucloud")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"credential.json": credentialJSON, "config.json": configJSON} {
		if content == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

const (
	cliCredentials = `[
  {"profile": "default", "public_key": "` + testPublicKey + `", "private_key": "` + testPrivateKey + `", "cookie": "", "csrf_token": ""},
  {"profile": "work", "public_key": "workpublickey0000000000", "private_key": "workprivatekey000000000"}
]`
	cliConfigs = `[
  {"profile": "default", "active": false, "project_id": "org-default", "region": "cn-bj2", "zone": "cn-bj2-02", "base_url": "https://api.ucloud.cn/", "timeout_sec": 15, "max_retry_times": 3},
  {"profile": "work", "active": true, "project_id": "org-work", "region": "sg", "zone": "sg-01", "base_url": "https://api.scloudsg.com", "timeout_sec": 30}
]`
	// Only "work" has keys, and it is the active profile.
	cliWorkOnlyCredentials = `[{"profile": "work", "public_key": "workpublickey0000000000", "private_key": "workprivatekey000000000"}]`
)

func TestCredentialsFromCLI(t *testing.T) {
	tests := []struct {
		name        string
		cred, conf  string
		profile     string
		wantProfile string // "" means nothing found
		wantPublic  string
		wantNote    string // a substring of the joined notes; "" means no notes
	}{
		{"default by name", cliCredentials, cliConfigs, "default", "default", testPublicKey, ""},
		{"named profile", cliCredentials, cliConfigs, "work", "work", "workpublickey0000000000", ""},
		{"default falls back to active", cliWorkOnlyCredentials, cliConfigs, "default", "work", "workpublickey0000000000",
			`ucloud CLI has no profile "default"; using its active profile "work"`},
		{"named profile never falls back", cliWorkOnlyCredentials, cliConfigs, "other", "", "",
			`ucloud CLI has no profile "other" in ~/.ucloud/credential.json`},
		{"no active profile", cliWorkOnlyCredentials, `[{"profile": "work", "active": false}]`, "default", "", "",
			`ucloud CLI has no profile "default"`},
		{"no config.json", cliCredentials, "", "work", "work", "workpublickey0000000000", ""},
		{"no files", "", "", "default", "", "", ""},
		{"empty credential file", " \n", "", "default", "", "", ""},
		{"malformed credential.json", `[{"profile": "default", "public_key": "` + testPublicKey + `", "private_key": 46f0}]`, cliConfigs, "default", "", "",
			"~/.ucloud/credential.json is not valid (malformed JSON at line 1, column "},
		{"credential.json is an object", `{"public_key": "a", "private_key": "b"}`, "", "default", "", "",
			"~/.ucloud/credential.json is not valid (expected a JSON array of profiles, found object): ucloud CLI profiles skipped"},
		{"wrong field type", `[{"profile": "default", "public_key": 12}]`, "", "default", "", "",
			`field "public_key" has the wrong type (number)`},
		{"malformed config.json does not matter for an exact match", cliCredentials, `[{"profile": "work", "active": tru}]`, "default", "default", testPublicKey, ""},
		{"malformed config.json when the active profile is needed", cliWorkOnlyCredentials, `[{"profile": "work", "active": tru}]`, "default", "", "",
			"~/.ucloud/config.json is not valid (malformed JSON at line 1, column 35): active profile unknown"},
		{"malformed config.json hides the active profile", cliWorkOnlyCredentials, `[{`, "default", "", "",
			"~/.ucloud/config.json is not valid (the JSON ends too early): active profile unknown"},
		{"profile without keys", `[{"profile": "default", "public_key": "", "private_key": ""}]`, "", "default", "", "",
			`ucloud CLI profile "default" skipped: invalid credentials: the public key is empty`},
		{"keys with stray newline", `[{"profile": "default", "public_key": "` + testPublicKey + `\n", "private_key": "` + testPrivateKey + `"}]`, "", "default", "default", testPublicKey, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := writeCLIFiles(t, tt.cred, tt.conf)
			c, name, ok, notes := credentialsFromCLI(home, tt.profile)
			joined := strings.Join(notes, "\n")
			if ok != (tt.wantProfile != "") || name != tt.wantProfile || c.PublicKey != tt.wantPublic {
				t.Errorf("got ok=%v profile=%q public=%q, want profile=%q public=%q (notes: %q)", ok, name, c.PublicKey, tt.wantProfile, tt.wantPublic, joined)
			}
			if tt.wantNote == "" && len(notes) > 0 {
				t.Errorf("unexpected notes: %q", joined)
			}
			if !strings.Contains(joined, tt.wantNote) {
				t.Errorf("notes %q, want one containing %q", joined, tt.wantNote)
			}
			if strings.Contains(joined, "46f0") || strings.Contains(joined, "workprivate") {
				t.Errorf("a note quotes a private key: %q", joined)
			}
			for _, n := range notes {
				if strings.Contains(n, "\n") {
					t.Errorf("note is not one line: %q", n)
				}
			}
		})
	}
}

func TestCredentialsFromCLIWithoutHome(t *testing.T) {
	_, _, ok, notes := credentialsFromCLI("", "default")
	if ok || len(notes) != 1 || !strings.Contains(notes[0], "home directory unknown") {
		t.Errorf("ok=%v notes=%q, want a note about the unknown home directory", ok, notes)
	}
}

func TestCLICredentialFilePermissionsWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix mode bits")
	}
	home := writeCLIFiles(t, cliCredentials, cliConfigs)
	path := filepath.Join(home, ".ucloud", "credential.json")

	if _, _, _, notes := credentialsFromCLI(home, "default"); len(notes) != 0 {
		t.Errorf("0600 file: notes %q, want none", notes)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, _, ok, notes := credentialsFromCLI(home, "default")
		want := fmt.Sprintf("~/.ucloud/credential.json is readable by other users (mode %04o): run chmod 600 ~/.ucloud/credential.json", mode)
		if !ok || len(notes) != 1 || notes[0] != want {
			t.Errorf("mode %o: ok=%v notes=%q, want the credentials and %q", mode, ok, notes, want)
		}
	}
}

func TestCLIUnreadableFile(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs Unix permissions and a non-root user")
	}
	home := writeCLIFiles(t, cliCredentials, "")
	if err := os.Chmod(filepath.Join(home, ".ucloud", "credential.json"), 0); err != nil {
		t.Fatal(err)
	}
	_, _, ok, notes := credentialsFromCLI(home, "default")
	if ok || len(notes) != 1 || !strings.HasPrefix(notes[0], "cannot read ~/.ucloud/credential.json (permission denied)") {
		t.Errorf("ok=%v notes=%q, want a permission-denied note", ok, notes)
	}
}

func TestLoadCLIProfile(t *testing.T) {
	tests := []struct {
		name       string
		cred, conf string
		profile    string
		want       CLIProfile
		found      bool
	}{
		{"named", cliCredentials, cliConfigs, "work",
			CLIProfile{Name: "work", Active: true, ProjectID: "org-work", Region: "sg", Zone: "sg-01", BaseURL: "https://api.scloudsg.com", TimeoutSec: 30}, true},
		{"default by name", cliCredentials, cliConfigs, "",
			CLIProfile{Name: "default", ProjectID: "org-default", Region: "cn-bj2", Zone: "cn-bj2-02", BaseURL: "https://api.ucloud.cn/", TimeoutSec: 15}, true},
		{"default means the active one when credential.json agrees", cliWorkOnlyCredentials, cliConfigs, "default",
			CLIProfile{Name: "work", Active: true, ProjectID: "org-work", Region: "sg", Zone: "sg-01", BaseURL: "https://api.scloudsg.com", TimeoutSec: 30}, true},
		{"missing profile", cliCredentials, cliConfigs, "nope", CLIProfile{}, false},
		{"no files", "", "", "default", CLIProfile{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := writeCLIFiles(t, tt.cred, tt.conf)
			got, found, err := LoadCLIProfile(home, tt.profile)
			if err != nil || found != tt.found || got != tt.want {
				t.Errorf("got %+v, %v, %v; want %+v, %v, nil", got, found, err, tt.want, tt.found)
			}
			s := &Store{Profile: tt.profile, HomeDir: home}
			if got2, found2, err2 := s.CLIProfile(); got2 != got || found2 != found || err2 != err {
				t.Errorf("Store.CLIProfile disagrees with LoadCLIProfile: %+v, %v, %v", got2, found2, err2)
			}
		})
	}

	home := writeCLIFiles(t, cliCredentials, `not json`)
	if _, _, err := LoadCLIProfile(home, "default"); err == nil || err.Error() != "~/.ucloud/config.json is not valid (malformed JSON at line 1, column 2)" {
		t.Errorf("malformed config.json: err = %v", err)
	}
	if _, _, err := LoadCLIProfile("", "default"); err == nil {
		t.Error("empty home directory: want an error")
	}
}
