package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file with a syntax error is reported, and never rewritten: its
// base_url, profile and project_id stay for the user to fix.
func TestUnparsableFileNeverRewritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	broken := "{\"base_url\": \"https://api.ucloud.cn\", \"profile\": \"work\", \"project_id\": \"org-1\",,}\n"
	os.WriteFile(path, []byte(broken), 0o600)
	c, err := Load(path)
	if !errors.Is(err, ErrUnparsable) || c != (Config{}) {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	if err := Save(path, Config{Region: "hk"}); !errors.Is(err, ErrUnparsable) {
		t.Fatalf("Save over a broken file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != broken {
		t.Errorf("file rewritten: %q", b)
	}
	for _, notObject := range []string{"null", "[1]", "\"x\""} {
		os.WriteFile(path, []byte(notObject), 0o600)
		if err := Save(path, Config{Region: "hk"}); !errors.Is(err, ErrUnparsable) {
			t.Errorf("Save over %s: %v", notObject, err)
		}
	}
}

// Keys a newer uimport wrote are kept; a symlinked config is written
// through to its target.
func TestSaveKeepsUnknownKeysAndLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "uimport.json")
	os.MkdirAll(filepath.Dir(target), 0o700)
	os.WriteFile(target, []byte(`{"region":"sg","future_setting":{"a":1}}`), 0o600)
	link := filepath.Join(dir, "config.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Save(link, Config{Region: "hk", Profile: "work"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	b, _ := os.ReadFile(target)
	c, err := Load(link)
	if err != nil || c.Region != "hk" || c.Profile != "work" || !strings.Contains(string(b), `"future_setting"`) {
		t.Errorf("saved %s (%+v, %v)", b, c, err)
	}
}
