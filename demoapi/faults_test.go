package demoapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     Fault
		status    int
		ctype     string // prefix
		body      string // substring of the raw body
		json      bool   // body parses as a JSON object
		retCode   string // RetCode as it appears in the raw JSON
		performed bool   // the import happened
	}{
		{"502 HTML", Fault{Status: 502, Body: BadGatewayPage}, 502, "text/html", "502 Bad Gateway", false, "", false},
		{"503 default page", Fault{Status: 503}, 503, "text/html", "Service Unavailable", false, "", false},
		{"captive portal 200", Fault{Body: CaptivePortalPage}, 200, "text/html", "Wi-Fi Login", false, "", false},
		{"truncated JSON", Fault{Truncate: true}, 200, "application/json", `{"`, false, "", true},
		{"RetCode string on success", Fault{RetCodeAsString: true}, 200, "application/json", `"ImageId"`, true, `"RetCode":"0"`, true},
		{"RetCode string on error", Fault{RetCode: 171, Message: "Signature VerifyAC Error", RetCodeAsString: true},
			200, "application/json", `"Message":"Signature VerifyAC Error"`, true, `"RetCode":"171"`, false},
		{"chosen RetCode", Fault{RetCode: 8301, Message: "import failed"}, 200, "application/json",
			`"Message":"import failed"`, true, `"RetCode":8301`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, Options{})
			s.SetFault("ImportCustomImage", tt.fault)
			a := call(t, s, importParams())
			if a.status != tt.status || !strings.HasPrefix(a.header.Get("Content-Type"), tt.ctype) {
				t.Errorf("HTTP %d %q, want %d %s", a.status, a.header.Get("Content-Type"), tt.status, tt.ctype)
			}
			if !strings.Contains(a.raw, tt.body) || !strings.Contains(a.raw, tt.retCode) {
				t.Errorf("body %q lacks %q / %q", a.raw, tt.body, tt.retCode)
			}
			if (a.json != nil) != tt.json {
				t.Errorf("JSON decodes = %v, want %v: %q", a.json != nil, tt.json, a.raw)
			}
			if got := len(s.Images()) == 1; got != tt.performed {
				t.Errorf("action performed = %v, want %v", got, tt.performed)
			}
			if r := s.Requests()[0]; !r.Faulted || !r.SignatureValid {
				t.Errorf("record = %+v", r)
			}
		})
	}
}

// "Fail the next N calls, then succeed", for retry tests.
func TestFaultTimes(t *testing.T) {
	s := newServer(t, Options{Faults: map[string]Fault{
		"GetRegion": {RetCode: 150, Message: "temporarily unavailable", Times: 2},
	}})
	var got []int
	for range 4 {
		got = append(got, call(t, s, apiclient.Params{"Action": "GetRegion"}).retCode(t))
	}
	if want := []int{150, 150, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("RetCodes = %v, want %v", got, want)
	}
	reqs := s.Requests()
	if !reqs[1].Faulted || reqs[2].Faulted || reqs[1].RetCode != 150 || reqs[2].RetCode != 0 {
		t.Errorf("records = %+v", reqs)
	}
}

func TestFaultSelection(t *testing.T) {
	s := newServer(t, Options{})
	region := apiclient.Params{"Action": "GetRegion"}
	projects := apiclient.Params{"Action": "GetProjectList"}

	s.SetFault(AnyAction, Fault{RetCode: 153, Message: "rate limited"})
	s.SetFault("GetRegion", Fault{RetCode: 150, Message: "busy"})
	if got := call(t, s, region).retCode(t); got != 150 {
		t.Errorf("specific fault: RetCode %d, want 150", got)
	}
	if got := call(t, s, projects).retCode(t); got != 153 {
		t.Errorf("AnyAction fault: RetCode %d, want 153", got)
	}
	if got := call(t, s, apiclient.Params{}).retCode(t); got != 153 {
		t.Errorf("AnyAction on a request without Action: RetCode %d, want 153", got)
	}
	s.SetFault("GetRegion", Fault{}) // zero Fault clears; AnyAction still applies
	if got := call(t, s, region).retCode(t); got != 153 {
		t.Errorf("after clearing GetRegion: RetCode %d, want 153", got)
	}
	s.ClearFaults()
	if got := call(t, s, region).retCode(t); got != 0 {
		t.Errorf("after ClearFaults: RetCode %d, want 0", got)
	}
}

func TestFaultDelay(t *testing.T) {
	s := newServer(t, Options{})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	body := apiclient.Params{"Action": "GetRegion"}.Signed(PublicKey, PrivateKey).Encode()
	post := func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/?Action=GetRegion", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return http.DefaultClient.Do(req)
	}

	t.Run("short delay answers normally", func(t *testing.T) {
		s.SetFault("GetRegion", Fault{Delay: 30 * time.Millisecond, Times: 1})
		start := time.Now()
		resp, err := post(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || time.Since(start) < 30*time.Millisecond {
			t.Errorf("HTTP %d after %v", resp.StatusCode, time.Since(start))
		}
	})

	t.Run("client timeout ends a long delay", func(t *testing.T) {
		s.SetFault("GetRegion", Fault{Delay: time.Hour})
		defer s.SetFault("GetRegion", Fault{})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		before := s.Count("GetRegion")
		_, err := post(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want deadline exceeded", err)
		}
		// The request reached the server even though no answer came back.
		if got := s.Count("GetRegion"); got != before+1 {
			t.Errorf("Count = %d, want %d", got, before+1)
		}
	})

	t.Run("Close ends a long delay", func(t *testing.T) {
		s2 := newServer(t, Options{Faults: map[string]Fault{AnyAction: {Delay: time.Hour}}})
		rec := make(chan int, 1)
		go func() { rec <- send(t, s2.Handler(), http.MethodGet, url.Values{"Action": {"GetRegion"}}).status }()
		for s2.Count("GetRegion") == 0 {
			time.Sleep(time.Millisecond)
		}
		s2.Close()
		select {
		case <-rec:
		case <-time.After(5 * time.Second):
			t.Fatal("delayed handler did not return after Close")
		}
		if r := s2.Requests()[0]; r.RetCode != -1 {
			t.Errorf("abandoned request RetCode = %d, want -1", r.RetCode)
		}
	})
}
