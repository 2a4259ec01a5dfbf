package apiclient_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
)

var crossRegionCopy = apiclient.CopyRequest{
	Region: "cn-bj2", SourceImageId: "uimage-src", TargetProjectId: "org-demo01", TargetRegion: "hk",
	TargetImageName: "golden 镜像 & co", TargetImageDescription: "a+b=c; 100%", TargetImageTag: "web",
}

const copyCheckFirst = "The copy request may have reached the server"

func TestCopyCustomImageSendsSignedParamsAndDecodes(t *testing.T) {
	f, c := newFakeAPI(t, respond(`{"RetCode":0,"Action":"CopyCustomImageResponse","TargetImageId":"uimage-copy","TaskId":"task-1"}`))
	got, err := c.CopyCustomImage(context.Background(), crossRegionCopy)
	if err != nil {
		t.Fatal(err)
	}
	if got != (apiclient.CopyResult{TargetImageId: "uimage-copy", TaskId: "task-1"}) {
		t.Errorf("result %+v", got)
	}
	form := f.lastForm() // fakeAPI verified its signature, or it would have answered 171
	for k, want := range map[string]string{
		"Action": "CopyCustomImage", "Region": "cn-bj2", "SourceImageId": "uimage-src", "TargetProjectId": "org-demo01",
		"TargetRegion": "hk", "TargetImageName": "golden 镜像 & co", "TargetImageDescription": "a+b=c; 100%", "TargetImageTag": "web",
	} {
		if form.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, form.Get(k), want)
		}
	}
	if form.Has("ProjectId") {
		t.Error("an empty ProjectId was sent")
	}
}

func TestSameRegionCopyOmitsTargetRegion(t *testing.T) {
	r := crossRegionCopy
	r.TargetRegion = r.Region
	c := apiclient.New("", apiclient.Keys{PublicKey: testPublicKey, PrivateKey: testPrivateKey}, testUserAgent)
	if v, ok := c.PrepareCopy(r).Params["TargetRegion"]; ok {
		t.Errorf("TargetRegion %q sent for a same-region copy", v)
	}
	r.TargetRegion = "hk"
	if v := c.PrepareCopy(r).Params["TargetRegion"]; v != "hk" {
		t.Errorf("TargetRegion %q, want hk", v)
	}
}

func TestCopyWithoutTargetImageIdIsAnError(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":0,"Action":"CopyCustomImageResponse"}`))
	_, err := c.CopyCustomImage(context.Background(), crossRegionCopy)
	var re *apiclient.ResponseError
	if !errors.As(err, &re) || !strings.Contains(re.Hint(), copyCheckFirst) {
		t.Fatalf("err %v: want a ResponseError whose hint says the copy may exist", err)
	}
}

// A TargetImageId that is not an image id (spaces, a path) is
// refused like a missing one: the copy may exist, but that text is never
// printed, journalled or sent back.
func TestCopyWithMalformedTargetImageIdIsAnError(t *testing.T) {
	for _, id := range []string{"uimage-abc def", "../../etc/passwd"} {
		_, c := newFakeAPI(t, respond(`{"RetCode":0,"Action":"CopyCustomImageResponse","TargetImageId":"`+id+`"}`))
		res, err := c.CopyCustomImage(context.Background(), crossRegionCopy)
		var re *apiclient.ResponseError
		if !errors.As(err, &re) || !errors.Is(err, apiclient.ErrBadImageID) || res.TargetImageId != "" || !apiclient.MayHaveArrived(err) {
			t.Errorf("%q: %+v, %v: want a ResponseError after which the copy may exist", id, res, err)
		}
	}
}

func TestCopyIsNeverRetried(t *testing.T) {
	for _, tt := range transient {
		t.Run(tt.name, func(t *testing.T) {
			f, c := newFakeAPI(t, failTwice(tt.fail, `{"RetCode":0,"TargetImageId":"uimage-late"}`))
			if res, err := c.CopyCustomImage(context.Background(), crossRegionCopy); err == nil {
				t.Fatalf("copy succeeded with %+v: it was retried", res)
			}
			if n := f.count(apiclient.ActionCopyCustomImage); n != 1 {
				t.Errorf("server saw the copy %d times, want 1", n)
			}
		})
	}
}

// Against the simulator: a copy whose answer is cut off was made anyway, and
// the error must say so rather than invite a second copy.
func TestCopyCutOffAnswerSaysItMayHaveBeenMade(t *testing.T) {
	s := demoapi.New(demoapi.Options{MakingPolls: -1})
	t.Cleanup(s.Close)
	url, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	c := apiclient.New(url, apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}, testUserAgent)
	c.Timeout = 300 * time.Millisecond
	ctx := context.Background()
	src, err := c.ImportCustomImage(ctx, apiclient.ImportRequest{Region: "cn-bj2", ImageName: "golden",
		UFileUrl: "https://b.cn-bj.ufileos.com/golden.qcow2", OsType: "CentOS", OsName: "CentOS 7.9 64位", Format: "qcow2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeImage(ctx, apiclient.DescribeImageRequest{Region: "cn-bj2", ImageId: src}); err != nil {
		t.Fatal(err) // one poll settles the source (MakingPolls < 0)
	}
	req := apiclient.CopyRequest{Region: "cn-bj2", SourceImageId: src, TargetProjectId: demoapi.DefaultProjectID, TargetRegion: "sg"}

	faults := []struct {
		name  string
		fault demoapi.Fault
	}{
		{"truncated answer", demoapi.Fault{Truncate: true, Times: 1}},
		{"HTTP 502", demoapi.Fault{Status: http.StatusBadGateway, Body: demoapi.BadGatewayPage, Times: 1}},
		{"no answer in time", demoapi.Fault{Delay: 5 * time.Second, Times: 1}},
	}
	for _, tc := range faults {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Count(apiclient.ActionCopyCustomImage)
			s.SetFault(apiclient.ActionCopyCustomImage, tc.fault)
			_, err := c.CopyCustomImage(ctx, req)
			var h apiclient.Hinter
			if !errors.As(err, &h) || !strings.Contains(h.Hint(), copyCheckFirst) || !apiclient.MayHaveArrived(err) {
				t.Fatalf("err %v: want a hint that the copy may have been made", err)
			}
			if n := s.Count(apiclient.ActionCopyCustomImage) - before; n != 1 {
				t.Errorf("%d CopyCustomImage requests, want 1", n)
			}
		})
	}
	if n := len(s.Copies()); n != 1 {
		t.Errorf("%d copies made, want 1 (the truncated answer's)", n)
	}
	for _, r := range s.Requests() {
		if r.Action == apiclient.ActionCopyCustomImage && !r.SignatureValid {
			t.Error("a copy request was not validly signed")
		}
	}
}

func TestCopyRetCodesAreExplainedForCopies(t *testing.T) {
	for code, words := range map[int]string{230: "cn-bj1", 299: "ticket", 8956: "source", 8888: "ticket"} {
		e := &apiclient.APIError{Action: apiclient.ActionCopyCustomImage, RetCode: code}
		if text := e.Explanation() + " " + e.Hint(); !strings.Contains(text, words) {
			t.Errorf("RetCode %d for a copy: %q lacks %q", code, text, words)
		}
	}
	// Other actions keep their words; a copy keeps the general ones for
	// codes that mean the same everywhere.
	for _, code := range []int{230, 299, 8956, 171} {
		imp := &apiclient.APIError{Action: apiclient.ActionImportCustomImage, RetCode: code}
		if imp.Explanation() != apiclient.Explain(code).Meaning || imp.Hint() != apiclient.Explain(code).Fix {
			t.Errorf("RetCode %d for an import changed: %q / %q", code, imp.Explanation(), imp.Hint())
		}
	}
	if got := apiclient.ExplainAction(apiclient.ActionCopyCustomImage, 171); got != apiclient.Explain(171) {
		t.Errorf("171 for a copy: %+v, want the general explanation", got)
	}
	// A gateway timeout may hide a copy that was made.
	if h := (&apiclient.APIError{Action: apiclient.ActionCopyCustomImage, RetCode: 110}).Hint(); !strings.Contains(h, copyCheckFirst) {
		t.Errorf("110 for a copy: %q", h)
	}
}

func TestMayHaveArrived(t *testing.T) {
	yes := []error{
		&apiclient.TransportError{Kind: apiclient.TransportTimeout, MayHaveBeenSent: true},
		&apiclient.HTTPError{StatusCode: 502},
		&apiclient.ResponseError{Kind: apiclient.ResponseHTML},
		&apiclient.APIError{RetCode: 110},
	}
	no := []error{
		nil,
		&apiclient.TransportError{Kind: apiclient.TransportRefused},
		&apiclient.HTTPError{StatusCode: 404},
		&apiclient.APIError{RetCode: 230},
		errors.New("something else"),
	}
	for _, err := range yes {
		if !apiclient.MayHaveArrived(err) {
			t.Errorf("MayHaveArrived(%v) = false", err)
		}
	}
	for _, err := range no {
		if apiclient.MayHaveArrived(err) {
			t.Errorf("MayHaveArrived(%v) = true", err)
		}
	}
}

func TestCopySupported(t *testing.T) {
	if apiclient.CopySupported("cn-bj1") || !apiclient.CopySupported("cn-bj2") {
		t.Error("cn-bj1 does not support copies; cn-bj2 does")
	}
}
