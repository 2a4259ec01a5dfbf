package importer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/guestimage"
	"github.com/uimport/uimport/ufile"
)

// demoImageFile writes a demo guest disk to a file, as a user's local image.
func demoImageFile(t *testing.T, key string) string {
	t.Helper()
	r, err := demoapi.DemoImageReader(key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(key))
	data := make([]byte, r.Size())
	if _, err := r.ReadAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A local file built with the real tools: the OS, the suggestion, and a
// declared OS of another family is a blocking os-mismatch.
func TestInspectLocalFile(t *testing.T) {
	path := guestimage.BuildT(t, guestimage.Ubuntu2204MBR(), "qcow2")
	s, _ := testSession(t, nil, false)
	var stages []string
	in, err := s.Inspect(context.Background(), InspectRequest{Source: path, OsType: "CentOS", Progress: func(st string) { stages = append(stages, st) }})
	if err != nil {
		t.Fatal(err)
	}
	rep := in.Report
	if rep.OS == nil || rep.OS.ID != "ubuntu" || rep.Suggested == nil || rep.Suggested.OsType != "Ubuntu" || in.Remote != nil {
		t.Fatalf("report %+v", rep)
	}
	if !rep.Has(inspect.IDOSMismatch) || len(rep.Blocking()) != 1 {
		t.Errorf("findings %+v", rep.Findings)
	}
	if len(stages) < 3 || stages[0] != "opening the image" {
		t.Errorf("stages %q", stages)
	}
	if in.NamesNote != "no region given" {
		t.Errorf("names note %q", in.NamesNote)
	}
}

func TestInspectBadSources(t *testing.T) {
	s, _ := testSession(t, nil, false)
	dir := t.TempDir()
	for _, src := range []string{"", filepath.Join(dir, "missing.qcow2"), dir} {
		_, err := s.Inspect(context.Background(), InspectRequest{Source: src})
		if Classify(err) != ClassInput {
			t.Errorf("%q: %v (class %v)", src, err, Classify(err))
		}
	}
}

// Over HTTP from the simulator: public objects unsigned, the private
// bucket signed with the session's keys (refused first), base-image names
// from DescribeImage, every read ranged.
func TestInspectDemoObjects(t *testing.T) {
	s, _ := testSession(t, nil, true)
	ctx := context.Background()
	for _, d := range demoapi.DemoImages() {
		for _, bucket := range []string{demoapi.DemoBucket, demoapi.DemoPrivateBucket} {
			url := strings.Replace(demoapi.DemoImageURL(s.Settings().BaseURL, d.Key), "/"+demoapi.DemoBucket+"/", "/"+bucket+"/", 1)
			in, err := s.Inspect(ctx, InspectRequest{Source: url, Region: "cn-bj2"})
			if err != nil {
				t.Fatalf("%s in %s: %v", d.Key, bucket, err)
			}
			var ids []string
			for _, f := range in.Report.Findings {
				ids = append(ids, f.ID)
			}
			if !sameSet(ids, d.Findings) || (len(in.Report.Blocking()) > 0) != d.Blocking {
				t.Errorf("%s: findings %q, want %q", d.Key, ids, d.Findings)
			}
			if in.Remote == nil || in.Remote.Signed != (bucket == demoapi.DemoPrivateBucket) || in.Remote.Requests == 0 {
				t.Errorf("%s in %s: remote %+v", d.Key, bucket, in.Remote)
			}
			if in.BaseNames == 0 {
				t.Errorf("%s: no base names (%s)", d.Key, in.NamesNote)
			}
		}
	}
	// Objects the simulator does not have, and hosts it is not.
	_, err := s.Inspect(ctx, InspectRequest{Source: s.Settings().BaseURL + "/ufile/demo-bucket/guests/nope.qcow2"})
	if Classify(err) != ClassFailed || !strings.Contains(err.Error(), "no such object") {
		t.Errorf("missing: %v", err)
	}
	_, err = s.Inspect(ctx, InspectRequest{Source: "https://b.cn-bj.ufileos.com/disk.qcow2"})
	if Classify(err) != ClassInput {
		t.Errorf("outside host in demo: %v", err)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// ufileHost serves one object as a private UFile bucket would, for any
// host name: the client dials it whatever the URL says, so the real
// UFile host names are used without DNS.
type ufileHost struct {
	srv      *httptest.Server
	data     []byte
	mu       sync.Mutex
	unsigned int
	signed   int
	noRange  int
}

func newUFileHost(t *testing.T, data []byte, keys apiclient.Keys) (*ufileHost, *http.Client) {
	h := &ufileHost{data: data}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if r.Header.Get("Range") == "" {
			h.noRange++
		}
		bucket, _, _ := strings.Cut(r.Host, ".")
		key := strings.TrimPrefix(r.URL.Path, "/")
		want := ufile.Authorization(keys.PublicKey, ufile.Sign(keys.PrivateKey, "GET", "", "", "", bucket, key))
		if r.Header.Get("Authorization") != want {
			h.unsigned++
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"RetCode":-148658,"ErrMsg":"invalid signature"}`))
			return
		}
		h.signed++
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(h.data)))
	}))
	t.Cleanup(h.srv.Close)
	addr := h.srv.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	return h, client
}

// A UFile URL refused unsigned is read signed with the session's keys; a
// pre-signed URL is read as it is, never with a second signature.
func TestInspectSignsUFileObjects(t *testing.T) {
	keys := apiclient.Keys{PublicKey: "pub-key-1234567890", PrivateKey: "private-secret"}
	s, _ := testSession(t, map[string]string{"UCLOUD_PUBLIC_KEY": keys.PublicKey, "UCLOUD_PRIVATE_KEY": keys.PrivateKey}, false)
	data, err := os.ReadFile(demoImageFile(t, "guests/rocky-9-gpt.qcow2"))
	if err != nil {
		t.Fatal(err)
	}
	host, client := newUFileHost(t, data, keys)
	s.cfg.HTTP = client
	in, err := s.Inspect(context.Background(), InspectRequest{Source: "http://mybucket.cn-bj.ufileos.com/img/rocky.qcow2", OsType: "Rocky"})
	if err != nil {
		t.Fatal(err)
	}
	if in.Remote == nil || !in.Remote.Signed || host.unsigned != 1 || host.signed == 0 || host.noRange != 0 {
		t.Errorf("remote %+v; unsigned %d, signed %d, without Range %d", in.Remote, host.unsigned, host.signed, host.noRange)
	}
	if !in.Report.Has(inspect.IDGPT) || in.Report.Has(inspect.IDOSMismatch) {
		t.Errorf("findings %+v", in.Report.Findings)
	}

	// Pre-signed: not signed again, so the refusal stands, as exit 3.
	_, err = s.Inspect(context.Background(), InspectRequest{Source: "http://mybucket.cn-bj.ufileos.com/img/rocky.qcow2?UCloudPublicKey=x&Signature=y&Expires=1"})
	var oe *ObjectReadError
	if !errors.As(err, &oe) || oe.Status != 403 || Classify(err) != ClassRefused || strings.Contains(err.Error(), "Signature=y") {
		t.Errorf("pre-signed: %v", err)
	}
	// Not a UFile host: nothing to sign for.
	_, err = s.Inspect(context.Background(), InspectRequest{Source: "http://images.example/rocky.qcow2"})
	if Classify(err) != ClassRefused {
		t.Errorf("other host: %v", err)
	}
}

// Nobody answers: a network error (exit 4) saying so, without the query.
func TestInspectUnreachable(t *testing.T) {
	s, _ := testSession(t, nil, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = s.Inspect(context.Background(), InspectRequest{Source: "http://" + addr + "/disk.qcow2?Signature=secret"})
	if Classify(err) != ClassNetwork || strings.Contains(err.Error(), "secret") {
		t.Errorf("unreachable: %v (class %v)", err, Classify(err))
	}
}

// The automatic check: warnings and notes go to Events, a blocking
// finding is bad input listing it, and an unreadable object only a note.
func TestVetImage(t *testing.T) {
	s, said := testSession(t, nil, false)
	ctx := context.Background()
	rep, err := s.VetImage(ctx, InspectRequest{Source: demoImageFile(t, "guests/centos-6-sda.vmdk")})
	if err != nil || rep == nil {
		t.Fatalf("centos 6: %v", err)
	}
	text := strings.Join(*said, "\n")
	for _, want := range []string{"note: Image inspected: CentOS", "warn: ", "/dev/sda", "note: "} {
		if !strings.Contains(text, want) {
			t.Errorf("said %q, want %q", text, want)
		}
	}
	*said = nil
	_, err = s.VetImage(ctx, InspectRequest{Source: demoImageFile(t, "guests/debian-12-novirtio.vhd"), OsType: "Debian", Format: "qcow2"})
	if Classify(err) != ClassInput || !strings.Contains(err.Error(), "virtio") || strings.Contains(err.Error(), "format") {
		t.Errorf("no virtio: %v", err)
	}
	*said = nil
	_, err = s.VetImage(ctx, InspectRequest{Source: "http://127.0.0.1:9/disk.qcow2"})
	if err != nil || len(*said) != 1 || !strings.HasPrefix((*said)[0], "note: Image not inspected: cannot read") {
		t.Errorf("unreachable: %v, said %q", err, *said)
	}
}

// Keys given with the request (typed into the wizard) sign the read when
// the session has none of its own.
func TestInspectSignsWithGivenKeys(t *testing.T) {
	keys := apiclient.Keys{PublicKey: "typed-public-key-123456", PrivateKey: "typed-secret"}
	s, _ := testSession(t, nil, false)
	data, err := os.ReadFile(demoImageFile(t, "guests/ubuntu-22.04-mbr.qcow2"))
	if err != nil {
		t.Fatal(err)
	}
	_, client := newUFileHost(t, data, keys)
	s.cfg.HTTP = client
	src := "http://mybucket.cn-bj.ufileos.com/ubuntu.qcow2"
	if _, err := s.Inspect(context.Background(), InspectRequest{Source: src}); Classify(err) != ClassRefused {
		t.Errorf("no keys: %v", err)
	}
	in, err := s.Inspect(context.Background(), InspectRequest{Source: src, Keys: &keys})
	if err != nil || !in.Remote.Signed {
		t.Errorf("given keys: %v %+v", err, in.Remote)
	}
}

// A packed file is the format check's to explain: the inspection only
// says it did not look inside.
func TestVetImagePackedFile(t *testing.T) {
	s, said := testSession(t, nil, false)
	src := demoImageFile(t, "guests/ubuntu-22.04-mbr.qcow2")
	packed := src + ".xz"
	if out, err := exec.Command("xz", "-k", "-0", src).CombinedOutput(); err != nil {
		t.Fatalf("xz (run scripts/test-deps.sh): %v %s", err, out)
	}
	rep, err := s.VetImage(context.Background(), InspectRequest{Source: packed})
	if err != nil || rep == nil || len(*said) != 1 || !strings.Contains((*said)[0], "not inspected: xz") {
		t.Errorf("%v; said %q", err, *said)
	}
}
