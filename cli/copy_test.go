package cli

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/report"
)

// copySimulator starts a simulator with opts for the run and imports a
// source image in cn-bj2; settle polls it until Available.
func copySimulator(t *testing.T, r *testRun, opts demoapi.Options, settle bool) (*demoapi.Server, string) {
	t.Helper()
	srv := demoapi.New(opts)
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	r.env["UCLOUD_API_BASE_URL"] = base
	r.env["UCLOUD_PUBLIC_KEY"], r.env["UCLOUD_PRIVATE_KEY"] = demoapi.PublicKey, demoapi.PrivateKey
	c := apiclient.New(base, apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}, "test")
	id, err := c.ImportCustomImage(ctx(t), apiclient.ImportRequest{Region: "cn-bj2", ImageName: "golden",
		UFileUrl: "https://b.cn-bj.ufileos.com/golden.qcow2", OsType: "CentOS", OsName: "CentOS 7.9 64位", Format: "qcow2"})
	if err != nil {
		t.Fatal(err)
	}
	if settle {
		img, err := follow.Wait(ctx(t), c, follow.Options{Region: "cn-bj2", ImageID: id, FirstWait: time.Millisecond, MaxWait: time.Millisecond}, nil)
		if err != nil || img.State != apiclient.StateAvailable {
			t.Fatalf("source: %v %q", err, img.State)
		}
	}
	return srv, id
}

func copyOpts(r *testRun, id string, to ...string) *CopyOptions {
	return &CopyOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: context.Background(), ImageID: id, Region: "cn-bj2", To: to, Timeout: time.Minute}
}

// describedIn lists "region/project" for every DescribeImage of id.
func describedIn(srv *demoapi.Server, id string) []string {
	var out []string
	for _, q := range srv.Requests() {
		if q.Action == apiclient.ActionDescribeImage && q.Params["ImageId"] == id {
			out = append(out, q.Params["Region"]+"/"+q.Params["ProjectId"])
		}
	}
	return out
}

func TestNewCmdCopyFlags(t *testing.T) {
	r := newTestRun(t)
	var got *CopyOptions
	parsed(t, NewCmdCopy(r.f, func(o *CopyOptions) error { got = o; return nil }),
		"uimage-src1", "--region", "cn-bj2", "--to", "hk,sg", "--to", "us-ca", "--project-id", "org-a", "--to-project", "org-b",
		"--name", "web", "--wait", "--wait-timeout", "20m")
	if got.ImageID != "uimage-src1" || got.Region != "cn-bj2" || !slices.Equal(got.To, []string{"hk", "sg", "us-ca"}) ||
		got.ProjectID != "org-a" || got.ToProject != "org-b" || got.Name != "web" || !got.Wait || got.Timeout != 20*time.Minute {
		t.Errorf("options: %+v", got)
	}
}

// One signed CopyCustomImage per target, each copy followed in its own
// region and project; stdout has the copies' ImageIds in --to order; the
// journal lets history name the source and status find the copy.
func TestRunCopyOnePerTargetFollowedInItsRegion(t *testing.T) {
	r := newTestRun(t)
	srv, src := copySimulator(t, r, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: 1}}, true)
	opts := copyOpts(r, src, "hk,sg")
	opts.Wait = true
	if err := runCopy(opts); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	copies := srv.Copies()
	if len(copies) != 2 || srv.Count(apiclient.ActionCopyCustomImage) != 2 {
		t.Fatalf("copies %+v, %d requests", copies, srv.Count(apiclient.ActionCopyCustomImage))
	}
	if got := strings.Fields(r.out.String()); !slices.Equal(got, []string{copies[0].TargetImageID, copies[1].TargetImageID}) ||
		copies[0].TargetRegion != "hk" || copies[1].TargetRegion != "sg" {
		t.Errorf("stdout %q, copies %+v", r.out, copies)
	}
	for _, q := range srv.Requests() {
		if q.Action == apiclient.ActionCopyCustomImage && (!q.SignatureValid || q.Params["Signature"] == "" || q.Params["SourceImageId"] != src) {
			t.Errorf("copy request %+v", q.Params)
		}
	}
	for _, c := range copies {
		where := describedIn(srv, c.TargetImageID)
		want := c.TargetRegion + "/" + demoapi.DefaultProjectID
		if len(where) < 2 || slices.ContainsFunc(where, func(w string) bool { return w != want }) {
			t.Errorf("copy %s followed in %v, want only %s (Copying, then Available)", c.TargetImageID, where, want)
		}
	}
	if !strings.Contains(r.err.String(), "Copying") || !strings.Contains(r.err.String(), "Copy in sg: "+copies[1].TargetImageID+" is Available") {
		t.Errorf("stderr:\n%s", r.err)
	}

	r.out.Reset()
	if err := runHistory(&HistoryOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), Limit: 5}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.out.String(), "copy of "+src+" from cn-bj2") || !strings.Contains(r.out.String(), " hk ") {
		t.Errorf("history:\n%s", r.out)
	}

	r.out.Reset()
	before := len(describedIn(srv, copies[0].TargetImageID))
	if err := runStatus(&StatusOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), ImageID: copies[0].TargetImageID}); err != nil {
		t.Fatalf("status of a copy: %v\n%s", err, r.err)
	}
	if where := describedIn(srv, copies[0].TargetImageID)[before:]; !slices.Equal(where, []string{"hk/" + demoapi.DefaultProjectID}) ||
		!strings.Contains(r.out.String(), "State:    Available") {
		t.Errorf("status asked %v:\n%s", where, r.out)
	}
}

// A copy that may have been made is never sent again: one request, and
// the user is told to check before copying again.
func TestRunCopyIsNeverRetried(t *testing.T) {
	r := newTestRun(t)
	srv, src := copySimulator(t, r, demoapi.Options{MakingPolls: -1}, true)
	srv.SetFault(apiclient.ActionCopyCustomImage, demoapi.Fault{Status: 502, Body: demoapi.BadGatewayPage})
	err := runCopy(copyOpts(r, src, "hk"))
	if n := srv.Count(apiclient.ActionCopyCustomImage); n != 1 {
		t.Errorf("%d copy requests, want exactly 1", n)
	}
	if ExitCode(err) != ExitNetwork || !strings.Contains(err.Error(), "outcome unknown") ||
		!strings.Contains(r.err.String(), "may have reached the server") {
		t.Errorf("exit %d: %v\n%s", ExitCode(err), err, r.err)
	}
	if r.out.Len() != 0 {
		t.Errorf("stdout %q for a copy with no ImageId", r.out)
	}
}

// A source still Making is not copied: nothing is sent, and the hint says
// to wait.
func TestRunCopyMakingSourceIsNotSent(t *testing.T) {
	r := newTestRun(t)
	srv, src := copySimulator(t, r, demoapi.Options{MakingPolls: 5}, false)
	err := runCopy(copyOpts(r, src, "hk", "sg"))
	if err == nil || !strings.Contains(err.Error(), "is Making") || ExitCode(err) != ExitFailure {
		t.Errorf("exit %d: %v", ExitCode(err), err)
	}
	if n := srv.Count(apiclient.ActionCopyCustomImage); n != 0 {
		t.Errorf("%d copy requests for a Making source", n)
	}
}

// One target ends Unavailable: exit 5 naming it; the other copy is kept
// and both ImageIds are reported (-o json: region, image_id, state).
func TestRunCopyOneUnavailableKeepsTheRest(t *testing.T) {
	r := newTestRun(t)
	r.f.flags.Output = "json"
	srv, src := copySimulator(t, r, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1, UnavailableTargets: []string{"sg"}}}, true)
	opts := copyOpts(r, src, "hk", "sg")
	opts.Wait = true
	err := runCopy(opts)
	if ExitCode(err) != ExitUnavailable || !strings.Contains(err.Error(), "sg (") || !strings.Contains(err.Error(), "became Unavailable") {
		t.Fatalf("exit %d: %v\n%s", ExitCode(err), err, r.err)
	}
	var got []report.ImageRecord
	if err := json.Unmarshal(r.out.Bytes(), &got); err != nil || len(got) != 2 {
		t.Fatalf("%v: %s", err, r.out)
	}
	if got[0].Region != "hk" || got[0].State != "Available" || got[1].Region != "sg" || got[1].State != "Unavailable" ||
		got[0].CopyOf != src || got[1].ImageID == "" {
		t.Errorf("records %+v", got)
	}
	if len(srv.Copies()) != 2 {
		t.Errorf("copies %+v", srv.Copies())
	}
	if !strings.Contains(r.err.String(), "✗ sg:") || !strings.Contains(r.err.String(), "Copy in hk") {
		t.Errorf("stderr:\n%s", r.err)
	}
}

// cn-bj1 does not support copies: refused with the reason and what to do,
// exit 2, before any request.
func TestRunCopyUnsupportedRegionExplained(t *testing.T) {
	r := newTestRun(t)
	srv, src := copySimulator(t, r, demoapi.Options{MakingPolls: -1}, true)
	sent := len(srv.Requests())
	for _, o := range []*CopyOptions{copyOpts(r, src, "hk", "cn-bj1"), {IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), ImageID: src, Region: "cn-bj1", To: []string{"hk"}, Timeout: time.Minute}} {
		err := runCopy(o)
		if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "cn-bj1 does not support image copies") {
			t.Errorf("%v: exit %d: %v", o.To, ExitCode(err), err)
		}
	}
	if n := len(srv.Requests()); n != sent {
		t.Errorf("%d requests sent for refused copies", n-sent)
	}
}

// status: an empty or malformed ImageId is exit 2 with nothing sent; an
// answer about another image is an error, never shown as this one.
func TestRunStatusImageIDChecked(t *testing.T) {
	r := newTestRun(t)
	srv, _ := copySimulator(t, r, demoapi.Options{MakingPolls: -1}, false)
	sent := len(srv.Requests())
	for _, id := range []string{"", "../../etc/passwd", "uimage-\x1b]0;x\x07"} {
		for _, wait := range []bool{false, true} {
			o := &StatusOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), ImageID: id, Region: "sg"}
			o.Wait.Wait, o.Wait.Timeout = wait, time.Minute
			if err := runStatus(o); ExitCode(err) != ExitUsage {
				t.Errorf("status %q (wait %v): exit %d, %v", id, wait, ExitCode(err), err)
			}
		}
	}
	if n := len(srv.Requests()); n != sent {
		t.Errorf("%d requests sent for bad ImageIds", n-sent)
	}
	srv.SetFault(apiclient.ActionDescribeImage, demoapi.Fault{Body: `{"Action":"DescribeImageResponse","RetCode":0,"TotalCount":1,` +
		`"ImageSet":[{"ImageId":"uimage-other1","ImageName":"other","State":"Available"}]}`})
	r.out.Reset()
	err := runStatus(&StatusOptions{IO: r.f.IOStreams, Factory: r.f, Ctx: ctx(t), ImageID: "uimage-asked1", Region: "sg"})
	if err == nil || ExitCode(err) != ExitNetwork || strings.Contains(r.out.String(), "other") {
		t.Errorf("answer about another image: exit %d, %v; stdout %q", ExitCode(err), err, r.out)
	}
}
