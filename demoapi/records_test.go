package demoapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestRequestsAndCount(t *testing.T) {
	s := newServer(t, Options{})
	call(t, s, apiclient.Params{"Action": "GetRegion"})
	call(t, s, apiclient.Params{"Action": "GetRegion"})
	send(t, s.Handler(), http.MethodPost, signedForm(apiclient.Params{"Action": "GetProjectList"}, PublicKey, "wrong"))

	if s.Count("GetRegion") != 2 || s.Count("GetProjectList") != 1 || s.Count("DescribeImage") != 0 {
		t.Errorf("counts %d %d %d", s.Count("GetRegion"), s.Count("GetProjectList"), s.Count("DescribeImage"))
	}
	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[2]
	if r.Action != "GetProjectList" || r.Method != "POST" || r.SignatureValid || r.RetCode != 171 ||
		r.Params["PublicKey"] != PublicKey || r.Time.IsZero() {
		t.Errorf("record = %+v", r)
	}
	reqs[0].Params["Action"] = "mutated"
	if s.Requests()[0].Params["Action"] != "GetRegion" {
		t.Error("Requests shares its Params maps with the server")
	}
}

// The log carries one line per request and no parameter values: not the
// signature, not the signed URL, never the private key.
func TestLogHasNoSecrets(t *testing.T) {
	var buf syncBuffer
	s := newServer(t, Options{Log: &buf})
	signedURL := "https://b.cn-bj.ufileos.com/x.qcow2?UCloudPublicKey=pk&Signature=URLSIGSECRET&Expires=1"
	p := importParams()
	p["UFileUrl"] = signedURL
	form := signedForm(p, PublicKey, PrivateKey)
	send(t, s.Handler(), http.MethodPost, form)
	call(t, s, apiclient.Params{"Action": "Evil\nFAKE LINE"})
	s.SetFault("GetRegion", Fault{Status: 502})
	call(t, s, apiclient.Params{"Action": "GetRegion"})

	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("log has %d lines:\n%s", len(lines), out)
	}
	if lines[0] != "demoapi: POST ImportCustomImage RetCode=0" ||
		lines[1] != "demoapi: POST Evil?FAKE?LINE RetCode=161" ||
		lines[2] != "demoapi: POST GetRegion fault HTTP 502" {
		t.Errorf("log:\n%s", out)
	}
	for _, secret := range []string{PrivateKey, form.Get("Signature"), "URLSIGSECRET", "centos-golden"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Many clients at once over real HTTP, while faults and records are read
// and changed, must be race-free and lose nothing.
func TestConcurrentUse(t *testing.T) {
	s := newServer(t, Options{Log: io.Discard, MakingPolls: 1})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 10
	var wg sync.WaitGroup
	ids := make(chan string, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				p := importParams()
				p["ImageName"] = fmt.Sprintf("img-%d-%d", w, i)
				body := p.Signed(PublicKey, PrivateKey).Encode()
				resp, err := http.Post(base+"/?Action=ImportCustomImage", "application/x-www-form-urlencoded", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				a := decode(resp.StatusCode, resp.Header, b)
				if a.json == nil || a.json["ImageId"] == nil {
					t.Errorf("import answer %q", a.raw)
					return
				}
				ids <- a.json["ImageId"].(string)

				d := apiclient.Params{"Action": "DescribeImage", "Region": "cn-bj2"}.Signed(PublicKey, PrivateKey)
				if resp, err := http.Get(base + "/?" + d.Encode()); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				s.SetFault("GetRegion", Fault{RetCode: 150, Times: 1})
				_ = s.Requests()
				_ = s.Count("ImportCustomImage")
				_ = s.Images()
				s.AddAccount(fmt.Sprintf("k%d", w), "v")
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("duplicate ImageId %s", id)
		}
		seen[id] = true
	}
	if len(seen) != workers*each || s.Count("ImportCustomImage") != workers*each ||
		s.Count("DescribeImage") != workers*each || len(s.Images()) != workers*each {
		t.Errorf("ids %d, imports %d, describes %d, images %d", len(seen),
			s.Count("ImportCustomImage"), s.Count("DescribeImage"), len(s.Images()))
	}
}
