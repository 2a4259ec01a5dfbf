package apiclient_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

// checkErrorText holds every error to what a person will read: a message and
// a next step, without Go's wrapper noise.
func checkErrorText(t *testing.T, err error) {
	t.Helper()
	var h apiclient.Hinter
	if !errors.As(err, &h) {
		t.Fatalf("%T (%v) does not implement Hinter", err, err)
	}
	msg, hint := h.Error(), h.Hint()
	t.Logf("%s\n\thint: %s", msg, hint)
	if strings.TrimSpace(msg) == "" || strings.TrimSpace(hint) == "" {
		t.Errorf("%T: empty Error() %q or Hint() %q", err, msg, hint)
	}
	for _, noise := range []string{"*url.Error", "url.Error", "*net.OpError", "%!", "<nil>", `Post "`, "&{", "0xc0"} {
		if strings.Contains(msg, noise) || strings.Contains(hint, noise) {
			t.Errorf("%T text has %q: %q / %q", err, noise, msg, hint)
		}
	}
}

func transportErr(t *testing.T, err error, kind apiclient.TransportKind, sent bool) *apiclient.TransportError {
	t.Helper()
	var te *apiclient.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %T %v, want *TransportError", err, err)
	}
	if te.Kind != kind || te.MayHaveBeenSent != sent {
		t.Errorf("Kind %q MayHaveBeenSent %v, want %q %v (err: %v)", te.Kind, te.MayHaveBeenSent, kind, sent, err)
	}
	checkErrorText(t, err)
	return te
}

func responseErr(t *testing.T, err error, kind apiclient.ResponseKind) {
	t.Helper()
	var re *apiclient.ResponseError
	if !errors.As(err, &re) || re.Kind != kind {
		t.Fatalf("err = %T %v, want *ResponseError %q", err, err, kind)
	}
	checkErrorText(t, err)
}

const mustCheckFirst = "before submitting again"

func TestHTTP502WithHTMLBody(t *testing.T) {
	_, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	})
	c.Retry = apiclient.RetryPolicy{Attempts: 1}
	_, err := c.GetRegion(context.Background())
	var he *apiclient.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 502 || !strings.Contains(he.Snippet, "502 Bad Gateway") {
		t.Fatalf("err = %#v, want *HTTPError 502", err)
	}
	checkErrorText(t, err)
}

func TestResponseKinds(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		kind                    apiclient.ResponseKind
	}{
		{"captive portal", "text/html; charset=utf-8", "<!DOCTYPE html><html><title>Wi-Fi login</title></html>", apiclient.ResponseHTML},
		{"HTML mislabelled as JSON", "application/json", "\n  <html>login</html>", apiclient.ResponseHTML},
		{"truncated JSON", "application/json", `{"RetCode":0,"Regions":[{"Region":"cn-b`, apiclient.ResponseTruncated},
		{"plain text", "text/plain", "Service Unavailable", apiclient.ResponseNotJSON},
		{"broken JSON is not truncated", "application/json", `{RetCode: 0}`, apiclient.ResponseNotJSON},
		{"empty body", "application/json", "", apiclient.ResponseNotJSON},
		{"no RetCode", "application/json", `{"Regions":[]}`, apiclient.ResponseMalformed},
		{"wrong shape", "application/json", `{"RetCode":0,"Regions":"none"}`, apiclient.ResponseMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, tt.body)
			})
			c.Retry = apiclient.RetryPolicy{Attempts: 1}
			_, err := c.GetRegion(context.Background())
			responseErr(t, err, tt.kind)
		})
	}
}

// Some gateways label JSON text/html; the body decides, not the header.
func TestJSONLabelledHTMLIsDecoded(t *testing.T) {
	_, c := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `{"RetCode":0,"ImageId":"uimage-h"}`)
	})
	if id, err := c.ImportCustomImage(context.Background(), trickyImport); err != nil || id != "uimage-h" {
		t.Errorf("id %q err %v", id, err)
	}
}

// Every kind of every error type reads well, including zero-ish values.
func TestErrorTexts(t *testing.T) {
	errs := []error{
		&apiclient.APIError{Action: apiclient.ActionGetRegion, RetCode: 171},
		&apiclient.APIError{Action: apiclient.ActionGetRegion, RetCode: 987654, Message: "odd"},
		&apiclient.HTTPError{Action: apiclient.ActionGetRegion, StatusCode: 418},
	}
	for _, code := range []int{301, 404, 407, 429, 500, 502, 504} {
		errs = append(errs, &apiclient.HTTPError{Action: apiclient.ActionImportCustomImage, StatusCode: code, Status: http.StatusText(code)})
	}
	for _, k := range []apiclient.ResponseKind{apiclient.ResponseHTML, apiclient.ResponseTruncated, apiclient.ResponseNotJSON, apiclient.ResponseMalformed} {
		errs = append(errs, &apiclient.ResponseError{Action: apiclient.ActionDescribeImage, Kind: k})
	}
	for _, k := range []apiclient.TransportKind{apiclient.TransportTimeout, apiclient.TransportTLS, apiclient.TransportDNS,
		apiclient.TransportRefused, apiclient.TransportCanceled, apiclient.TransportOther} {
		errs = append(errs, &apiclient.TransportError{Action: apiclient.ActionImportCustomImage, Kind: k, MayHaveBeenSent: true})
	}
	for _, err := range errs {
		checkErrorText(t, err)
		var he *apiclient.HTTPError
		if errors.As(err, &he) && !strings.Contains(he.Error(), "HTTP "+strconv.Itoa(he.StatusCode)+" ") {
			t.Errorf("%q does not show the status code", he.Error())
		}
	}
}

// An import answered by a broken gateway may still have been carried out.
func TestImportHintsWarnWhenTheImportMayHaveLanded(t *testing.T) {
	landed := []apiclient.Hinter{
		&apiclient.HTTPError{Action: apiclient.ActionImportCustomImage, StatusCode: 504},
		&apiclient.ResponseError{Action: apiclient.ActionImportCustomImage, Kind: apiclient.ResponseTruncated},
		&apiclient.APIError{Action: apiclient.ActionImportCustomImage, RetCode: 110},
	}
	for _, e := range landed {
		if !strings.Contains(e.Hint(), mustCheckFirst) {
			t.Errorf("%T %v: hint %q lacks %q", e, e, e.Hint(), mustCheckFirst)
		}
	}
	notLanded := []apiclient.Hinter{
		&apiclient.HTTPError{Action: apiclient.ActionGetRegion, StatusCode: 504},
		&apiclient.APIError{Action: apiclient.ActionImportCustomImage, RetCode: 171},
		&apiclient.TransportError{Action: apiclient.ActionImportCustomImage, Kind: apiclient.TransportDNS},
	}
	for _, e := range notLanded {
		if strings.Contains(e.Hint(), mustCheckFirst) {
			t.Errorf("%T %v: needless warning in %q", e, e, e.Hint())
		}
	}
}
