package imagecopy_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/journal"
)

// recordingJournal notes what the server had seen when each call came.
type recordingJournal struct {
	srv      *demoapi.Server
	failSent bool
	sent     []int // copy requests the server had received when Sent was called
	outcomes []string
	states   []string
}

func (j *recordingJournal) Sent(req apiclient.PreparedRequest) (string, error) {
	if j.failSent {
		return "", errors.New("disk full")
	}
	if req.Params["Action"] != apiclient.ActionCopyCustomImage || req.Params["Signature"] == "" {
		return "", errors.New("not a signed copy request")
	}
	j.sent = append(j.sent, j.srv.Count(apiclient.ActionCopyCustomImage))
	return req.Params["TargetRegion"], nil
}

func (j *recordingJournal) Outcome(id, imageID string, sendErr error, uncertain bool) error {
	j.outcomes = append(j.outcomes, id+"="+imageID)
	return nil
}

func (j *recordingJournal) State(imageID, state string) error {
	j.states = append(j.states, state)
	return nil
}

func TestEveryCopyIsJournalledBeforeItIsSent(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}})
	src := f.importSource(t, "cn-bj2", true)
	j := &recordingJournal{srv: f.srv}
	o := f.options()
	o.Journal = j
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
		[]imagecopy.Target{{Region: "hk"}, {Region: "sg"}}, o)
	if err != nil || !imagecopy.AllAvailable(results) {
		t.Fatalf("%v %+v", err, results)
	}
	if !slices.Equal(j.sent, []int{0, 1}) {
		t.Errorf("Sent saw %v copy requests already received, want [0 1]", j.sent)
	}
	want := []string{"hk=" + results[0].ImageID, "sg=" + results[1].ImageID}
	if !slices.Equal(j.outcomes, want) {
		t.Errorf("outcomes %v, want %v", j.outcomes, want)
	}
	if !slices.Equal(j.states, []string{"Available", "Available"}) {
		t.Errorf("states %v", j.states)
	}
}

func TestNoJournalNoSend(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1})
	src := f.importSource(t, "cn-bj2", true)
	o := f.options()
	o.Journal = &recordingJournal{srv: f.srv, failSent: true}
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src}, []imagecopy.Target{{Region: "hk"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	var je *imagecopy.JournalError
	if !errors.As(results[0].Err, &je) {
		t.Errorf("err %v, want a JournalError", results[0].Err)
	}
	if n := f.srv.Count(apiclient.ActionCopyCustomImage); n != 0 {
		t.Errorf("%d copies sent without a journal entry", n)
	}
}

func TestCopyOfReadsWhereAJournalledCopyLives(t *testing.T) {
	c := apiclient.New("", apiclient.Keys{PublicKey: "p", PrivateKey: "k"}, "")
	cross := c.PrepareCopy(apiclient.CopyRequest{Region: "cn-bj2", SourceImageId: "uimage-src", TargetProjectId: "org-a", TargetRegion: "hk", TargetImageName: "n"})
	got, ok := imagecopy.CopyOf(cross.Params)
	want := imagecopy.JournalledCopy{SourceRegion: "cn-bj2", SourceImageID: "uimage-src", Region: "hk", ProjectID: "org-a", ImageName: "n"}
	if !ok || got != want {
		t.Errorf("cross-region: %+v %v, want %+v", got, ok, want)
	}
	same := c.PrepareCopy(apiclient.CopyRequest{Region: "cn-bj2", ProjectId: "org-a", SourceImageId: "uimage-src", TargetProjectId: "org-b", TargetRegion: "cn-bj2"})
	if got, ok := imagecopy.CopyOf(same.Params); !ok || got.Region != "cn-bj2" || got.ProjectID != "org-b" || got.SourceProjectID != "org-a" {
		t.Errorf("same region: %+v %v", got, ok)
	}
	imp := c.PrepareImport(apiclient.ImportRequest{Region: "cn-bj2", ImageName: "x"})
	if _, ok := imagecopy.CopyOf(imp.Params); ok {
		t.Error("an import was taken for a copy")
	}
}

// Copies land in the import journal: history lists them with their source,
// and status finds each one's own region and project.
func TestCopiesInTheRealJournal(t *testing.T) {
	f := newFixture(t, demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: 1, UnavailableTargets: []string{"sg"}}})
	src := f.importSource(t, "cn-bj2", true)
	j := journal.Open(filepath.Join(t.TempDir(), "imports.jsonl"))
	o := f.options()
	o.Journal = imagecopy.JournalTo(j, "default", f.srv.URL(), true)
	results, err := imagecopy.Copy(context.Background(), imagecopy.Source{Region: "cn-bj2", ImageID: src},
		[]imagecopy.Target{{Region: "hk"}, {Region: "sg"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	entries, skipped, err := journal.Read(j.Path())
	if err != nil || skipped != 0 || len(entries) != 2 {
		t.Fatalf("journal: %d entries, %d skipped, %v", len(entries), skipped, err)
	}
	for _, r := range results {
		e, ok := journal.FindImage(entries, r.ImageID)
		if !ok || !e.Answered || e.State != r.State {
			t.Errorf("%s: entry %+v, want answered with state %s", r.Region, e, r.State)
			continue
		}
		if _, secret := e.Params["Signature"]; secret {
			t.Error("the journal kept the signature")
		}
		c, isCopy := imagecopy.CopyOf(e.Params)
		if !isCopy || c.SourceImageID != src || c.Region != r.Region || c.ProjectID != r.ProjectID {
			t.Errorf("%s: CopyOf = %+v %v", r.Region, c, isCopy)
		}
	}
}
