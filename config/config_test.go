package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadMissingIsEmpty(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "nope.json"))
	if err != nil || c != (Config{}) {
		t.Fatalf("Load missing = %+v, %v; want empty, nil", c, err)
	}
}

func TestSaveLoadRoundTripAndMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.json")
	want := Config{Region: "hk", ProjectID: "org-1", BaseURL: "https://api.ucloud.cn", Profile: "work", LastOsType: "Ubuntu", LastFormat: "qcow2"}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil || got != want {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}
}

func TestLoadInvalidSaysWhatToDo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(path, []byte("{not json"), 0o600)
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "fix or delete it") {
		t.Fatalf("err = %v; want a message telling the user to fix or delete the file", err)
	}
}

func TestDefaultPathOverride(t *testing.T) {
	p, err := DefaultPath(func(k string) string {
		if k == "UIMPORT_CONFIG" {
			return "/x/c.json"
		}
		return ""
	})
	if err != nil || p != "/x/c.json" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
}
