package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/keystore"
)

// testRun is one command's world: a Factory with fake IO, an environment
// of its own (config, journal and upload state in temp dirs), and keys and
// base URL for the simulator when one is started.
type testRun struct {
	f        *Factory
	in       *strings.Reader
	out, err *bytes.Buffer
	env      map[string]string
}

func newTestRun(t *testing.T) *testRun {
	t.Helper()
	dir := t.TempDir()
	r := &testRun{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}, env: map[string]string{
		"HOME": dir, "UIMPORT_CONFIG": filepath.Join(dir, "config.json"),
	}}
	getenv := func(k string) string { return r.env[k] }
	streams := iostreams.Test(r.in, r.out, r.err)
	streams.SetEnv(nil, getenv)
	r.f = &Factory{
		IOStreams: streams, Build: BuildInfo{Version: "test"}, Getenv: getenv,
		// The environment only: no OS keyring, no ~/.ucloud.
		Keystore:  func(p string) *keystore.Store { return &keystore.Store{Profile: p, Getenv: getenv} },
		Now:       time.Now,
		StateHome: func() string { return filepath.Join(dir, "state") },
		flags:     globalFlags{Output: "text", Timeout: 10 * time.Second},
	}
	return r
}

// simulator starts the API simulator and points the run at it with its keys.
func (r *testRun) simulator(t *testing.T) string {
	t.Helper()
	srv := demoapi.New(demoapi.Options{})
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	r.env["UCLOUD_API_BASE_URL"] = base
	r.env["UCLOUD_PUBLIC_KEY"], r.env["UCLOUD_PRIVATE_KEY"] = demoapi.PublicKey, demoapi.PrivateKey
	return base
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// parsed runs cmd's flag parsing with args; runF has kept the options.
func parsed(t *testing.T, cmd *cobra.Command, args ...string) {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
}
