package demoapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestSignature(t *testing.T) {
	const otherPub, otherPriv = "test-extra-public", "TEST.extra.secret.55aa"
	const addedPub, addedPriv = "test-added-public", "TEST.added.secret.77bb"
	base := apiclient.Params{"Action": "GetRegion"}
	tests := []struct {
		name  string
		form  func() url.Values
		want  int
		valid bool
	}{
		{"demo key", func() url.Values { return signedForm(base, PublicKey, PrivateKey) }, 0, true},
		{"Options.Accounts key", func() url.Values { return signedForm(base, otherPub, otherPriv) }, 0, true},
		{"AddAccount key", func() url.Values { return signedForm(base, addedPub, addedPriv) }, 0, true},
		{"wrong private key", func() url.Values { return signedForm(base, PublicKey, otherPriv) }, 171, false},
		{"unknown public key", func() url.Values { return signedForm(base, "nobody", PrivateKey) }, 172, false},
		{"missing signature", func() url.Values {
			v := signedForm(base, PublicKey, PrivateKey)
			v.Del("Signature")
			return v
		}, 170, false},
		{"missing public key", func() url.Values {
			v := signedForm(base, PublicKey, PrivateKey)
			v.Del("PublicKey")
			return v
		}, 172, false},
		{"parameter changed after signing", func() url.Values {
			v := signedForm(apiclient.Params{"Action": "DescribeImage", "Region": "sg"}, PublicKey, PrivateKey)
			v.Set("Region", "hk")
			return v
		}, 171, false},
		{"parameter added after signing", func() url.Values {
			v := signedForm(base, PublicKey, PrivateKey)
			v.Set("Extra", "1")
			return v
		}, 171, false},
		{"uppercase signature", func() url.Values {
			v := signedForm(base, PublicKey, PrivateKey)
			v.Set("Signature", strings.ToUpper(v.Get("Signature")))
			return v
		}, 171, false},
		{"empty value sent but not signed", func() url.Values {
			v := signedForm(base, PublicKey, PrivateKey)
			v.Set("ProjectId", "")
			return v
		}, 0, true},
		{"raw unicode and spaces signed unescaped", func() url.Values {
			return signedForm(apiclient.Params{"Action": "DescribeImage", "Region": "sg",
				"ImageId": "uimage-x y+z/中文&=?"}, PublicKey, PrivateKey)
		}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, Options{Accounts: map[string]string{otherPub: otherPriv}})
			s.AddAccount(addedPub, addedPriv)
			a := send(t, s.Handler(), http.MethodPost, tt.form())
			if got := a.retCode(t); got != tt.want {
				t.Fatalf("RetCode = %d, want %d (%s)", got, tt.want, a.raw)
			}
			if tt.want == 171 && a.json["Message"] != "Signature VerifyAC Error" {
				t.Errorf("Message = %v", a.json["Message"])
			}
			if tt.want == 172 && a.json["Message"] != "User not exist" {
				t.Errorf("Message = %v", a.json["Message"])
			}
			if got := s.Requests()[0].SignatureValid; got != tt.valid {
				t.Errorf("SignatureValid = %v, want %v", got, tt.valid)
			}
		})
	}
}

// The server must accept the published worked example, independently of
// apiclient: a correct signature gets past the gateway to "unknown action".
func TestSignaturePublishedVector(t *testing.T) {
	s := newServer(t, Options{})
	s.AddAccount("ucloudsomeone@example.com1296235120854146120", "46f09bb9fab4f12dfc160dae12273d5332b5debe")
	form := url.Values{
		"PublicKey": {"ucloudsomeone@example.com1296235120854146120"},
		"Action":    {"DescribeUHostInstance"}, "Region": {"cn-bj2"}, "Limit": {"10"},
		"Signature": {"cba5cf5ec4d4233d206b1b54951e3787350a642f"},
	}
	a := send(t, s.Handler(), http.MethodPost, form)
	if got := a.retCode(t); got != 161 {
		t.Fatalf("RetCode = %d, want 161: %s", got, a.raw)
	}
}

// Every received parameter is signed, including an Action that came only in
// the query string.
func TestSignatureCoversQueryAction(t *testing.T) {
	s := newServer(t, Options{})
	body := signedForm(apiclient.Params{"Region": "sg"}, PublicKey, PrivateKey)
	req := httptest.NewRequest(http.MethodPost, "/?Action=DescribeImage", strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if got := decode(rec.Code, rec.Header(), rec.Body.Bytes()).retCode(t); got != 171 {
		t.Fatalf("RetCode = %d, want 171", got)
	}
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name       string
		params     apiclient.Params
		want       int
		wantAction any
	}{
		{"missing Action", apiclient.Params{"Region": "sg"}, 160, nil},
		{"unknown Action", apiclient.Params{"Action": "TerminateEverything"}, 161, "TerminateEverythingResponse"},
		{"known Action", apiclient.Params{"Action": "GetProjectList"}, 0, "GetProjectListResponse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, Options{})
			a := call(t, s, tt.params)
			if a.status != http.StatusOK {
				t.Errorf("HTTP %d, want 200", a.status)
			}
			if got := a.retCode(t); got != tt.want {
				t.Errorf("RetCode = %d, want %d", got, tt.want)
			}
			if a.json["Action"] != tt.wantAction {
				t.Errorf("Action = %v, want %v", a.json["Action"], tt.wantAction)
			}
			_, hasMsg := a.json["Message"]
			if hasMsg != (tt.want != 0) {
				t.Errorf("Message present = %v on RetCode %d", hasMsg, tt.want)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

// GET and POST are equivalent over a real loopback listener; a GET with a
// badly escaped query is answered 172 as docs/API.md reports.
func TestGetAndPost(t *testing.T) {
	s := newServer(t, Options{})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	form := signedForm(apiclient.Params{"Action": "DescribeImage", "Region": "sg", "Limit": "5"}, PublicKey, PrivateKey)
	do := func(req *http.Request) answer {
		t.Helper()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return decode(resp.StatusCode, resp.Header, b)
	}
	get, _ := http.NewRequest(http.MethodGet, base+"/?"+form.Encode(), nil)
	post, _ := http.NewRequest(http.MethodPost, base+"/?Action=DescribeImage", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	bad, _ := http.NewRequest(http.MethodGet, base+"/?"+form.Encode()+"&ImageName=%zz", nil)

	for _, tc := range []struct {
		name string
		req  *http.Request
		want int
	}{{"GET", get, 0}, {"POST", post, 0}, {"GET bad escape", bad, 172}} {
		if got := do(tc.req).retCode(t); got != tc.want {
			t.Errorf("%s: RetCode = %d, want %d", tc.name, got, tc.want)
		}
	}
	reqs := s.Requests()
	if len(reqs) != 3 || reqs[0].Method != "GET" || reqs[1].Method != "POST" {
		t.Fatalf("requests = %+v", reqs)
	}
	if reqs[1].Params["Limit"] != "5" || reqs[1].Action != "DescribeImage" {
		t.Errorf("POST params = %v", reqs[1].Params)
	}
}

func TestPathAndMethod(t *testing.T) {
	s := newServer(t, Options{})
	for _, tc := range []struct {
		method, target string
		want           int
	}{
		{http.MethodGet, "/v1?Action=GetRegion", http.StatusNotFound},
		{http.MethodGet, "//?Action=GetRegion", http.StatusNotFound},
		{http.MethodPut, "/?Action=GetRegion", http.StatusMethodNotAllowed},
	} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
		if rec.Code != tc.want {
			t.Errorf("%s %s: HTTP %d, want %d", tc.method, tc.target, rec.Code, tc.want)
		}
	}
}

func TestStartURLClose(t *testing.T) {
	s := New(Options{})
	if s.URL() != "" {
		t.Errorf("URL before Start = %q", s.URL())
	}
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || s.URL() != base {
		t.Errorf("Start = %q, URL = %q", base, s.URL())
	}
	if _, err := s.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	s.Close()
	s.Close()
	if _, err := s.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/?Action=GetRegion", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("request after Close succeeded")
	}
}

func ExampleServer() {
	s := New(Options{})
	base, err := s.Start()
	if err != nil {
		panic(err)
	}
	defer s.Close()
	p := apiclient.Params{"Action": "GetProjectList"}.Signed(PublicKey, PrivateKey)
	resp, err := http.Post(base+"/?Action=GetProjectList", "application/x-www-form-urlencoded", strings.NewReader(p.Encode()))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var out struct {
		RetCode      int
		ProjectCount int
	}
	json.NewDecoder(resp.Body).Decode(&out)
	fmt.Println(out.RetCode, out.ProjectCount)
	// Output: 0 2
}
