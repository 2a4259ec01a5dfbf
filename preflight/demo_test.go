package preflight

import (
	"context"
	"testing"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/imageformat"
)

// End to end against the demo simulator, as `uimport --demo` runs it.
func TestCheckDemoObjects(t *testing.T) {
	s := demoapi.New(demoapi.Options{})
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	demoKeys := &apiclient.Keys{PublicKey: demoapi.PublicKey, PrivateKey: demoapi.PrivateKey}
	for _, format := range demoapi.DemoObjects() {
		declared := format
		if !imageformat.Importable(format) {
			declared = "qcow2"
		}
		r := Check(context.Background(), Options{URL: demoapi.DemoObjectURL(base, format), Declared: declared, Keys: demoKeys})
		if !r.Reachable || r.Sniff.Format != format || r.Size <= 0 {
			t.Errorf("%s: report %+v", format, r)
			continue
		}
		want := 0
		if !imageformat.Importable(format) {
			want = 1
		}
		if b := r.Blocking(); len(b) != want || (want == 1 && b[0].Code != CodeNotImportable) {
			t.Errorf("%s: blocking %+v", format, b)
		}
		if len(r.Warnings()) != 0 {
			t.Errorf("%s: warnings %+v", format, r.Warnings())
		}
	}

	// The private bucket refuses the unsigned read; a loopback URL is not a
	// UFile host, so there is nothing to sign for and it stays a warning.
	r := Check(context.Background(), Options{URL: base + "/ufile/demo-private/images/debian-12.raw", Declared: "RAW", Keys: demoKeys})
	if !hasProblem(r, Warning, CodeRefused, "invalid signature") || len(r.Blocking()) != 0 {
		t.Errorf("private: report %+v", r)
	}
	r = Check(context.Background(), Options{URL: base + "/ufile/demo-bucket/images/nope.raw", Declared: "RAW"})
	if !hasProblem(r, Blocking, CodeNotFound, "no object") {
		t.Errorf("missing: report %+v", r)
	}
}
