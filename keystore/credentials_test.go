package keystore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Every way a Credentials or Resolved can reach a log or the screen by
// accident must leave the private key out.
func TestFormattingNeverRevealsPrivateKey(t *testing.T) {
	res := Resolved{Credentials: testCreds, Source: SourceKeyring, Profile: "default", Notes: []string{"a note"}}
	type wrapper struct {
		C Credentials
		R Resolved
	}
	values := map[string]any{
		"Credentials":  testCreds,
		"*Credentials": &testCreds,
		"Resolved":     res,
		"*Resolved":    &res,
		"slice":        []Credentials{testCreds},
		"map":          map[string]Credentials{"p": testCreds},
		"struct":       wrapper{testCreds, res},
		"error":        fmt.Errorf("login with %v failed", testCreds),
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%30v", "%-40s", "%T %v"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, testPrivateKey) || strings.Contains(out, fmt.Sprintf("%x", testPrivateKey)) {
				t.Errorf("%s formatted with %s reveals the private key: %s", name, verb, out)
			}
			if strings.Contains(out, testPublicKey) {
				t.Errorf("%s formatted with %s shows the full public key: %s", name, verb, out)
			}
		}
	}

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("resolved", "creds", testCreds, "res", res, "ptr", &testCreds)
	}
	b1, _ := json.Marshal(testCreds)
	b2, _ := json.Marshal(res)
	b3, _ := json.Marshal(wrapper{testCreds, res})
	for _, out := range []string{buf.String(), string(b1), string(b2), string(b3)} {
		if strings.Contains(out, testPrivateKey) || strings.Contains(out, testPublicKey) {
			t.Errorf("log or JSON output reveals a key: %s", out)
		}
	}
}

func TestCredentialsStrings(t *testing.T) {
	if got, want := testCreds.String(), "public key: uclo…6120, private key: set"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := fmt.Sprintf("%#v", testCreds), `keystore.Credentials{PublicKey:"uclo…6120", PrivateKey:"[redacted]"}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got, want := (Credentials{}).String(), "public key: (none), private key: not set"; got != want {
		t.Errorf("empty String() = %q, want %q", got, want)
	}
	b, _ := json.Marshal(testCreds)
	if got, want := string(b), `{"public_key":"uclo…6120","private_key_set":true}`; got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}

	res := Resolved{Credentials: testCreds, Source: SourceKeyring, Profile: "work"}
	if got, want := fmt.Sprint(res), `public key: uclo…6120, private key: set (from OS keyring (profile "work"))`; got != want {
		t.Errorf("Resolved %%v = %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%#v", res); !strings.Contains(got, `Source:"keyring", Profile:"work"`) {
		t.Errorf("Resolved %%#v lost its fields: %s", got)
	}
	b, _ = json.Marshal(res)
	if got := string(b); !strings.Contains(got, `"source":"keyring"`) || !strings.Contains(got, `"profile":"work"`) {
		t.Errorf("Resolved JSON lost its fields: %s", got)
	}
}

func TestSourceDescriptions(t *testing.T) {
	tests := []struct {
		src      Source
		profile  string
		str, des string
	}{
		{SourceEnv, "default", "environment (UCLOUD_PUBLIC_KEY)", "environment (UCLOUD_PUBLIC_KEY)"},
		{SourceKeyring, "default", "OS keyring", `OS keyring (profile "default")`},
		{SourceCLIProfile, "default", "ucloud CLI profile (~/.ucloud/credential.json)", `ucloud CLI profile "default" (~/.ucloud/credential.json)`},
		{SourcePrompt, "default", "typed at the prompt", "typed at the prompt"},
		{"", "default", "nowhere", "nowhere"},
	}
	for _, tt := range tests {
		if got := tt.src.String(); got != tt.str {
			t.Errorf("%q.String() = %q, want %q", string(tt.src), got, tt.str)
		}
		if got := tt.src.Describe(tt.profile); got != tt.des {
			t.Errorf("%q.Describe() = %q, want %q", string(tt.src), got, tt.des)
		}
	}
	r := Resolved{Source: SourceCLIProfile, Profile: "work"}
	if got, want := r.Origin(), `ucloud CLI profile "work" (~/.ucloud/credential.json)`; got != want {
		t.Errorf("Origin() = %q, want %q", got, want)
	}
}

func TestNormalizeAndValidate(t *testing.T) {
	got, err := Credentials{PublicKey: "  " + testPublicKey + "\n", PrivateKey: "\t" + testPrivateKey + "\r\n"}.Normalize()
	if err != nil || got != testCreds {
		t.Fatalf("Normalize trimmed = %#v, %v; want the bare keys", got, err)
	}

	bad := []struct {
		c    Credentials
		want string
	}{
		{Credentials{PrivateKey: testPrivateKey}, "the public key is empty"},
		{Credentials{PublicKey: testPublicKey, PrivateKey: " \n "}, "the private key is empty"},
		{Credentials{PublicKey: "abc def", PrivateKey: testPrivateKey}, "the public key contains a space"},
		{Credentials{PublicKey: testPublicKey, PrivateKey: "abc\x00def"}, "the private key contains a space, control"},
		{Credentials{PublicKey: testPublicKey, PrivateKey: "abc\u200bdef"}, "the private key contains a space, control or invisible"},
		{Credentials{PublicKey: testPublicKey, PrivateKey: "abc\u00a0def"}, "the private key contains a space"},
		{Credentials{PublicKey: "abc\xffdef", PrivateKey: testPrivateKey}, "the public key is not valid UTF-8"},
	}
	for _, tt := range bad {
		_, err := tt.c.Normalize()
		if !errors.Is(err, ErrInvalidCredentials) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Normalize(%q, %q) = %v, want ErrInvalidCredentials saying %q", tt.c.PublicKey, tt.c.PrivateKey, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "abc") {
			t.Errorf("validation error quotes the key: %v", err)
		}
	}

	if err := (Credentials{PublicKey: " " + testPublicKey, PrivateKey: testPrivateKey}).Validate(); err == nil {
		t.Error("Validate accepted a leading space; it must not trim")
	}
}
