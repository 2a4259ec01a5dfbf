package keystore

import (
	"strings"
	"testing"
)

func TestProfileFromEnv(t *testing.T) {
	tests := []struct {
		env  fakeEnv
		want string
	}{
		{fakeEnv{}, "default"},
		{fakeEnv{EnvProfile: "  "}, "default"},
		{fakeEnv{EnvProfile: "work"}, "work"},
		{fakeEnv{EnvProfile: " work\n"}, "work"},
	}
	for _, tt := range tests {
		if got := ProfileFromEnv(tt.env.get); got != tt.want {
			t.Errorf("ProfileFromEnv(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
	t.Setenv(EnvProfile, "from-os")
	if got := ProfileFromEnv(nil); got != "from-os" {
		t.Errorf("ProfileFromEnv(nil) = %q, want the real environment's %q", got, "from-os")
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	tests := []struct {
		name   string
		env    fakeEnv
		wantOK bool
		note   string
	}{
		{"neither", fakeEnv{}, false, ""},
		{"both", fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: testPrivateKey}, true, ""},
		{"both with newlines", fakeEnv{EnvPublicKey: testPublicKey + "\n", EnvPrivateKey: " " + testPrivateKey}, true, ""},
		{"public only", fakeEnv{EnvPublicKey: testPublicKey}, false, "UCLOUD_PUBLIC_KEY is set but UCLOUD_PRIVATE_KEY is not: environment skipped"},
		{"private only", fakeEnv{EnvPrivateKey: testPrivateKey}, false, "UCLOUD_PRIVATE_KEY is set but UCLOUD_PUBLIC_KEY is not: environment skipped"},
		{"blank private", fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: "  "}, false, "UCLOUD_PUBLIC_KEY is set but UCLOUD_PRIVATE_KEY is not: environment skipped"},
		{"space inside", fakeEnv{EnvPublicKey: testPublicKey, EnvPrivateKey: "46f0 9bb9"}, false, "UCLOUD_PUBLIC_KEY/UCLOUD_PRIVATE_KEY skipped: invalid credentials: the private key contains a space, control or invisible character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, note := credentialsFromEnv(tt.env.get)
			if ok != tt.wantOK || note != tt.note {
				t.Fatalf("got ok=%v note=%q, want ok=%v note=%q", ok, note, tt.wantOK, tt.note)
			}
			if ok && c != testCreds {
				t.Errorf("got %#v, want the trimmed test keys", c)
			}
			if strings.Contains(note, "46f0") {
				t.Errorf("note quotes the private key: %q", note)
			}
		})
	}
	if _, ok, note := credentialsFromEnv(nil); ok || note != "" {
		t.Errorf("nil getenv: ok=%v note=%q, want nothing", ok, note)
	}
}
