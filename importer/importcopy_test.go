package importer

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
)

// ImportThenCopy copies only an import that became Available, telling
// Available before the first copy event; an Unavailable import is exit 5
// with nothing copied.
func TestImportThenCopy(t *testing.T) {
	srv := demoapi.New(demoapi.Options{MakingPolls: -1, Copies: demoapi.CopyOptions{CopyingPolls: -1}})
	base, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s, _ := testSession(t, nil, false)
	s.settings.BaseURL = base
	api := s.Client(apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey})
	ctx := context.Background()
	for _, c := range []struct {
		url       string
		wantState string
		copies    int
	}{
		{"https://b.cn-bj.ufileos.com/g.qcow2", apiclient.StateAvailable, 2},
		{"https://b.cn-bj.ufileos.com/unavailable.qcow2", apiclient.StateUnavailable, 0},
	} {
		id, err := api.ImportCustomImage(ctx, apiclient.ImportRequest{Region: "cn-bj2", ImageName: "g", UFileUrl: c.url,
			OsType: "Other", OsName: "Other", Format: "qcow2"})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		res, err := s.ImportThenCopy(ctx, api, ImportCopyRequest{
			Follow: follow.Options{Region: "cn-bj2", ImageID: id, Limit: time.Minute, FirstWait: time.Millisecond},
			Copy:   CopyRequest{Region: "cn-bj2", ImageID: id, To: []string{"hk", "sg"}},
		}, ImportCopyEvents{
			Available: func() { order = append(order, "available") },
			Copy: func(e imagecopy.Event) {
				if e.Kind == imagecopy.EventSent {
					order = append(order, "sent "+e.Region)
				}
			},
		})
		if res.SourceState != c.wantState || len(res.Copies) != c.copies {
			t.Errorf("%s: state %q, %d copies (%v); want %q, %d", c.url, res.SourceState, len(res.Copies), err, c.wantState, c.copies)
		}
		switch {
		case c.copies > 0 && (err != nil || len(order) != 3 || order[0] != "available"):
			t.Errorf("%s: %v, events %v", c.url, err, order)
		case c.copies == 0 && (Classify(err) != ClassUnavailable || len(order) != 0):
			t.Errorf("%s: class %v (%v), events %v", c.url, Classify(err), err, order)
		}
	}
}

// The summary keeps the message and the hint, not the failures' chain:
// each was explained on its own already.
func TestCopiesSummary(t *testing.T) {
	cerr := CopiesFailed([]imagecopy.Result{{Region: "hk", ImageID: "uimage-x", State: apiclient.StateUnavailable,
		Err: &imagecopy.UnavailableError{Region: "hk", ImageID: "uimage-x"}}})
	var ce *CopiesError
	if !errors.As(cerr, &ce) {
		t.Fatalf("CopiesFailed: %v", cerr)
	}
	sum := CopiesSummary(cerr)
	var he *HintedError
	if sum.Error() != cerr.Error() || errors.As(sum, &ce) || !errors.As(sum, &he) || he.HintText != ce.Hint() {
		t.Errorf("summary %v (%T)", sum, sum)
	}
}
