package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/iostreams"
)

// Text: one ImageId a line for the copies made (the failed one has none),
// each failure explained, and a sent-but-not-followed copy says how to
// follow it. JSON: the source first, every copy with its state or error.
func TestCopies(t *testing.T) {
	results := []imagecopy.Result{
		{Region: "hk", ImageID: "uimage-hk"},
		{Region: "sg", Err: errors.New("refused\nsecond line")},
	}
	var out, errOut bytes.Buffer
	if err := Copies(iostreams.Test(nil, &out, &errOut), false, nil, "uimage-src", results, false); err != nil {
		t.Fatal(err)
	}
	if out.String() != "uimage-hk\n" {
		t.Errorf("stdout %q", out.String())
	}
	if e := errOut.String(); !strings.Contains(e, "sg:") || !strings.Contains(e, "status IMAGE_ID --wait") {
		t.Errorf("stderr:\n%s", e)
	}
	out.Reset()
	src := &ImageRecord{Region: "cn-bj2", ImageID: "uimage-src", State: apiclient.StateAvailable}
	if err := Copies(iostreams.Test(nil, &out, &bytes.Buffer{}), true, src, "uimage-src", results, true); err != nil {
		t.Fatal(err)
	}
	var recs []ImageRecord
	if err := json.Unmarshal(out.Bytes(), &recs); err != nil || len(recs) != 3 {
		t.Fatalf("%v: %s", err, out.String())
	}
	if recs[0] != *src || recs[1].State != apiclient.StateCopying || recs[1].CopyOf != "uimage-src" || recs[2].Error != "refused" || recs[2].ImageID != "" {
		t.Errorf("records %+v", recs)
	}
}
