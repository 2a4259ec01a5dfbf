package apiclient_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
)

const (
	testPublicKey  = "test-public@example.com"
	testPrivateKey = "test-private-key"
	testUserAgent  = "uimport-test/1.0"
)

// fastRetry keeps retry tests quick while still going through the backoff.
var fastRetry = apiclient.RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}

// replyFunc answers one verified request; attempt counts requests for that
// action, from 1.
type replyFunc func(w http.ResponseWriter, r *http.Request, attempt int)

// fakeAPI is a loopback stand-in for the API gateway. It checks each request
// as the real one would, with its own signature code, so a bug shared by the
// package's signer and encoder cannot pass unnoticed.
type fakeAPI struct {
	t     *testing.T
	srv   *httptest.Server
	reply replyFunc

	mu   sync.Mutex
	hits map[string]int
	last url.Values // the last request's body parameters
}

func newFakeAPI(t *testing.T, reply replyFunc) (*fakeAPI, *apiclient.Client) {
	t.Helper()
	f := &fakeAPI{t: t, reply: reply, hits: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	c := apiclient.New(f.srv.URL, apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, testUserAgent)
	c.Timeout = 5 * time.Second
	c.Retry = fastRetry
	return f, c
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	action := r.URL.Query().Get("Action")
	if r.Method != http.MethodPost {
		f.t.Errorf("method %s, want POST", r.Method)
	}
	if action == "" {
		f.t.Errorf("no ?Action= in the query %q", r.URL.RawQuery)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		f.t.Errorf("Content-Type %q", ct)
	}
	if ua := r.Header.Get("User-Agent"); ua != testUserAgent {
		f.t.Errorf("User-Agent %q, want %q", ua, testUserAgent)
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("body does not parse as a form: %v", err)
	}
	form := r.PostForm
	if got := form.Get("Action"); got != action {
		f.t.Errorf("body Action %q, query Action %q", got, action)
	}
	f.mu.Lock()
	f.hits[action]++
	attempt := f.hits[action]
	f.last = form
	f.mu.Unlock()

	if !verifySignature(form, testPrivateKey) {
		writeJSON(w, fmt.Sprintf(`{"RetCode":171,"Action":"%sResponse","Message":"Signature VerifyAC Error"}`, action))
		return
	}
	f.reply(w, r, attempt)
}

func (f *fakeAPI) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[action]
}

func (f *fakeAPI) lastForm() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// verifySignature recomputes the signature from the received form as the
// gateway does: byte-sorted keys, key+value raw, private key, SHA1 hex.
// Repeated or empty parameters are refused: the client must never send them.
func verifySignature(form url.Values, privateKey string) bool {
	var keys []string
	for k, vs := range form {
		if len(vs) != 1 || vs[0] == "" {
			return false
		}
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	b.WriteString(privateKey)
	sum := sha1.Sum([]byte(b.String()))
	return form.Get("Signature") == hex.EncodeToString(sum[:])
}

func writeJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, body)
}

func respond(body string) replyFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, body) }
}

// trickyImport has every character class that has broken signers before.
var trickyImport = apiclient.ImportRequest{
	Region:           "cn-bj2",
	ProjectId:        "org-abc12",
	ImageName:        "my image & co",
	UFileUrl:         "https://mybucket.cn-bj.ufileos.com/img/a b.qcow2?UCloudPublicKey=pub%2Fkey&Signature=ab/cd=&Expires=1700000000",
	OsType:           "CentOS",
	OsName:           "CentOS 6.5 32位",
	Format:           "qcow2",
	Tag:              "a=b?c/d%e+f",
	ImageDescription: "", // empty: must not be sent
}

func TestImportCustomImageSuccess(t *testing.T) {
	f, c := newFakeAPI(t, respond(`{"Action":"ImportCustomImageResponse","ImageId":"uimage-abc123","RetCode":0}`))
	id, err := c.ImportCustomImage(context.Background(), trickyImport)
	if err != nil {
		t.Fatalf("ImportCustomImage: %v", err)
	}
	if id != "uimage-abc123" {
		t.Errorf("ImageId %q", id)
	}
	got := f.lastForm()
	for k, want := range map[string]string{"Auth": "true", "OsName": "CentOS 6.5 32位", "UFileUrl": trickyImport.UFileUrl, "PublicKey": testPublicKey} {
		if got.Get(k) != want {
			t.Errorf("%s arrived as %q, want %q", k, got.Get(k), want)
		}
	}
	if got.Has("ImageDescription") {
		t.Error("empty ImageDescription was sent")
	}
}

// What a preview shows must be byte for byte what the server decodes.
func TestPreparedParamsAreExactlyWhatArrives(t *testing.T) {
	f, c := newFakeAPI(t, respond(`{"RetCode":0,"ImageId":"uimage-1"}`))
	req := c.PrepareImport(trickyImport)
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL, "/?Action=ImportCustomImage") {
		t.Errorf("prepared %s %s", req.Method, req.URL)
	}
	if _, err := c.SendImport(context.Background(), req); err != nil {
		t.Fatalf("SendImport: %v", err)
	}
	arrived := map[string]string{}
	for k, vs := range f.lastForm() {
		arrived[k] = strings.Join(vs, "\x00")
	}
	if !maps.Equal(arrived, map[string]string(req.Params)) {
		t.Errorf("arrived %q\nprepared %q", arrived, req.Params)
	}
}

// The fake must be able to say no, or every other test proves nothing.
func TestWrongPrivateKeyGets171(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":0,"ImageId":"uimage-1"}`))
	c.Keys.PrivateKey = "not-the-key"
	_, err := c.ImportCustomImage(context.Background(), trickyImport)
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || ae.RetCode != 171 {
		t.Fatalf("err = %v, want APIError 171", err)
	}
}

func TestGetRegionDecodes(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"Action":"GetRegionResponse","RetCode":0,"Regions":[
		{"RegionId":1000001,"RegionName":"cn-bj2","IsDefault":true,"BitMaps":"1111","Region":"cn-bj2","Zone":"cn-bj2-02"},
		{"RegionId":1000002,"RegionName":"hk","IsDefault":false,"BitMaps":"","Region":"hk","Zone":"hk-02"}]}`))
	got, err := c.GetRegion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []apiclient.Region{
		{Region: "cn-bj2", Zone: "cn-bj2-02", RegionId: 1000001, RegionName: "cn-bj2", IsDefault: true, BitMaps: "1111"},
		{Region: "hk", Zone: "hk-02", RegionId: 1000002, RegionName: "hk"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v", got)
	}
}

func TestGetProjectListDecodes(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":0,"ProjectCount":2,"ProjectSet":[
		{"ProjectId":"org-1","ProjectName":"Default","IsDefault":true,"ResourceCount":3,"MemberCount":1,"CreateTime":1700000000},
		{"ProjectId":"org-2","ProjectName":"测试","IsDefault":false,"ParentId":"org-1","ParentName":"Default"}]}`))
	got, err := c.GetProjectList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []apiclient.Project{
		{ProjectId: "org-1", ProjectName: "Default", IsDefault: true, ResourceCount: 3, MemberCount: 1, CreateTime: 1700000000},
		{ProjectId: "org-2", ProjectName: "测试", ParentId: "org-1", ParentName: "Default"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v", got)
	}
}

func TestDescribeImageDecodesAndSendsFilters(t *testing.T) {
	f, c := newFakeAPI(t, respond(`{"RetCode":0,"TotalCount":1,"ImageSet":[{"ImageId":"uimage-1","ImageName":"my image",
		"ImageType":"Custom","OsType":"Linux","OsName":"CentOS 6.5 32位","State":"Making","ImageSize":20,
		"CreateTime":1700000000,"ImageDescription":"d","Zone":"cn-bj2-02"}]}`))
	got, err := c.DescribeImage(context.Background(), apiclient.DescribeImageRequest{Region: "cn-bj2", ImageType: "Custom", ImageId: "uimage-1", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := apiclient.Image{ImageId: "uimage-1", ImageName: "my image", ImageType: "Custom", OsType: "Linux",
		OsName: "CentOS 6.5 32位", State: apiclient.StateMaking, ImageSize: 20, CreateTime: 1700000000, ImageDescription: "d", Zone: "cn-bj2-02"}
	if got.TotalCount != 1 || len(got.ImageSet) != 1 || got.ImageSet[0] != want {
		t.Errorf("got %+v", got)
	}
	form := f.lastForm()
	if form.Get("ImageId") != "uimage-1" || form.Get("Limit") != "1" || form.Get("ImageType") != "Custom" || form.Has("Offset") || form.Has("Zone") {
		t.Errorf("sent %v", form)
	}
}

func TestAPIErrorCarriesCodeMessageAndExplanation(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"Action":"ImportCustomImageResponse","RetCode":8301,"Message":"import failed: bad format"}`))
	_, err := c.ImportCustomImage(context.Background(), trickyImport)
	var ae *apiclient.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %#v, want *APIError", err)
	}
	if ae.RetCode != 8301 || ae.Action != apiclient.ActionImportCustomImage || ae.Message != "import failed: bad format" {
		t.Errorf("got %+v", ae)
	}
	if ae.Explanation() != apiclient.Explain(8301).Meaning || ae.Hint() != apiclient.Explain(8301).Fix {
		t.Errorf("explanation %q / hint %q", ae.Explanation(), ae.Hint())
	}
	if msg := ae.Error(); !strings.Contains(msg, "8301") || !strings.Contains(msg, "bad format") {
		t.Errorf("Error() = %q", msg)
	}
	checkErrorText(t, err)
}

// Some gateways send RetCode as a string.
func TestRetCodeAsString(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":"0","ImageId":"uimage-s"}`))
	if id, err := c.ImportCustomImage(context.Background(), trickyImport); err != nil || id != "uimage-s" {
		t.Errorf(`RetCode "0": id %q, err %v`, id, err)
	}
	_, c = newFakeAPI(t, respond(`{"RetCode":"171","Message":"Signature VerifyAC Error"}`))
	_, err := c.GetRegion(context.Background())
	var ae *apiclient.APIError
	if !errors.As(err, &ae) || ae.RetCode != 171 || ae.Action != apiclient.ActionGetRegion {
		t.Errorf(`RetCode "171": err %v`, err)
	}
}

func BenchmarkPrepareImport(b *testing.B) {
	c := apiclient.New("https://api.example.invalid", apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, testUserAgent)
	b.ReportAllocs()
	for b.Loop() {
		c.PrepareImport(trickyImport)
	}
}
