package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/importspec"
)

func TestCanonical(t *testing.T) {
	if got, err := Canonical("--format", " QCOW2 ", importspec.CanonicalFormat, importspec.FormatNames()); err != nil || got != "qcow2" {
		t.Errorf("qcow2: %q, %v", got, err)
	}
	if got, err := Canonical("--format", "", importspec.CanonicalFormat, importspec.FormatNames()); err != nil || got != "" {
		t.Errorf("nothing declared: %q, %v", got, err)
	}
	_, err := Canonical("--format", "iso", importspec.CanonicalFormat, importspec.FormatNames())
	if Classify(err) != ClassInput || !strings.Contains(err.Error(), `--format "iso"`) || !strings.Contains(Explain(err).ToDo, "qcow2") {
		t.Errorf("iso: %v (%q)", err, Explain(err).ToDo)
	}
}

func TestSettingsCheck(t *testing.T) {
	ok := Settings{Timeout: time.Second, BaseURL: "https://api.example.test"}
	if err := ok.Check(); err != nil {
		t.Errorf("valid: %v", err)
	}
	for name, s := range map[string]Settings{
		"no timeout": {BaseURL: "https://api.example.test"},
		"bad URL":    {Timeout: time.Second, BaseURL: "ftp://x"},
	} {
		if Classify(s.Check()) != ClassInput {
			t.Errorf("%s: %v", name, s.Check())
		}
	}
	if err := (Settings{Timeout: time.Second, Demo: true}).Check(); err != nil {
		t.Errorf("the demo's URL is its own: %v", err)
	}
	if !strings.Contains(NoFileHint(true), "--sample") || strings.Contains(NoFileHint(false), "--sample") {
		t.Error("the demo's hint names --sample, only the demo's")
	}
}
