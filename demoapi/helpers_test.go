package demoapi

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// Helpers shared by the tests of this package.

// signedForm builds a request the way the client does: add PublicKey, sign
// with apiclient.Sign, form-encode with net/url.
func signedForm(params apiclient.Params, pub, priv string) url.Values {
	p := maps.Clone(params)
	p["PublicKey"] = pub
	p["Signature"] = apiclient.Sign(p, priv)
	v := url.Values{}
	for k, val := range p {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// answer is a decoded HTTP answer.
type answer struct {
	status int
	header http.Header
	raw    string
	json   map[string]any // nil when the body is not a JSON object
}

func (a answer) retCode(t *testing.T) int {
	t.Helper()
	if a.json == nil {
		t.Fatalf("answer is not JSON: HTTP %d %q", a.status, a.raw)
	}
	return toInt(t, a.json["RetCode"])
}

func toInt(t *testing.T, v any) int {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("not a JSON number: %#v", v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return int(i)
}

func decode(status int, h http.Header, body []byte) answer {
	a := answer{status: status, header: h, raw: string(body)}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if d.Decode(&a.json) != nil {
		a.json = nil
	}
	return a
}

// send delivers form in-process. POST puts Action in the query and every
// parameter in the body, as the official SDK does; GET uses the query only.
func send(t *testing.T, h http.Handler, method string, form url.Values) answer {
	t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req = httptest.NewRequest(method, "/?"+form.Encode(), nil)
	} else {
		req = httptest.NewRequest(method, "/?Action="+url.QueryEscape(form.Get("Action")), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return decode(rec.Code, rec.Header(), rec.Body.Bytes())
}

// call sends params signed with the demo keys by POST.
func call(t *testing.T, s *Server, params apiclient.Params) answer {
	t.Helper()
	return send(t, s.Handler(), http.MethodPost, signedForm(params, PublicKey, PrivateKey))
}

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}
