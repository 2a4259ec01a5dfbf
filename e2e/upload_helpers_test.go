package e2e

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

// Helpers for the upload tests: the simulator behind loopback HTTPS, as
// UFile and the API are reached for real, and files to upload.

// tlsAPI is the simulator (API and objects) behind an httptest TLS server.
// The binary trusts its certificate through SSL_CERT_FILE, which Go's
// crypto/x509 reads on Linux in place of the system roots.
type tlsAPI struct {
	*demoapi.Server
	URL      string
	certFile string
	cert     *x509.Certificate
}

func startTLSAPI(t *testing.T) *tlsAPI {
	t.Helper()
	srv := demoapi.New(demoapi.Options{MakingPolls: -1})
	ts := httptest.NewUnstartedServer(srv.Handler())
	// Cut connections and killed clients are the point of these tests,
	// not noise worth logging.
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	// Close the server before the simulator, so open part uploads end
	// before its directory goes.
	t.Cleanup(srv.Close)
	t.Cleanup(ts.Close)
	cert := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tlsAPI{Server: srv, URL: ts.URL, certFile: cert, cert: ts.Certificate()}
}

// trustConfig makes this process trust the test server as the binary does.
func trustConfig(t *testing.T, a *tlsAPI) *tls.Config {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(a.cert)
	return &tls.Config{RootCAs: pool}
}

// env is the demo keys plus trust in the test server's certificate.
func (a *tlsAPI) env() []string { return append(keyEnv(), "SSL_CERT_FILE="+a.certFile) }

// objectURL is where the simulator keeps bucket/key.
func (a *tlsAPI) objectURL(bucket, key string) string {
	return demoapi.UFileEndpoint(a.URL, bucket) + "/" + ufile.EscapeKey(key)
}

// uploadIDs lists the upload ids Initiate handed out, oldest first.
func (a *tlsAPI) uploadIDs() []string {
	var ids []string
	for _, r := range a.UploadRequests() {
		if r.Op == demoapi.OpInitiate && r.Status == 200 {
			ids = append(ids, r.UploadID)
		}
	}
	return ids
}

// wantStored checks the finished object's bytes and ETag are the file's.
func (a *tlsAPI) wantStored(t *testing.T, bucket, key, file string) {
	t.Helper()
	path, etag, ok := a.UploadedObject(bucket, key)
	if !ok {
		t.Fatalf("no object %s/%s on the server", bucket, key)
	}
	if got, want := fileSHA256(t, path), fileSHA256(t, file); got != want {
		t.Errorf("stored bytes differ from the file")
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if want, _ := ufile.ETag(f); etag != want {
		t.Errorf("stored ETag %s, want the file's %s", etag, want)
	}
}

// randomFile writes size pseudo-random bytes (incompressible, so no layer
// can shortcut them).
func randomFile(t *testing.T, name string, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	rng := rand.NewChaCha8([32]byte{byte(size), 7})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rng, size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// sampleImage is a qcow2 the format check accepts.
func sampleImage(t *testing.T, name string, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := demoapi.WriteSampleImage(path, size); err != nil {
		t.Fatal(err)
	}
	return path
}

func fileSHA256(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// proc is the binary running in the background, for tests that stop it.
type proc struct {
	cmd       *exec.Cmd
	out, errb bytes.Buffer
	start     time.Time
}

// startBin starts the binary like run does, without waiting for it.
func startBin(t *testing.T, o runOpts, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...)}
	p.cmd.Env = append(cleanEnv(t, o.Home), o.Env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errb
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() }) // no-op once it ended
	return p
}

// stop sends sig and waits (at most 20 s) for the process to end.
func (p *proc) stop(t *testing.T, sig syscall.Signal) result {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-done
		t.Fatalf("uimport did not end within 20 s of signal %v\nstderr:\n%s", sig, p.errb.String())
	}
	return result{Stdout: p.out.String(), Stderr: p.errb.String(), Code: p.cmd.ProcessState.ExitCode(), Elapsed: time.Since(p.start)}
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
