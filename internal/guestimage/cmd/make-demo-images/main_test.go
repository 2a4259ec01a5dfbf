package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/guestimage"
)

// Rebuilt from the scenarios, every image inspects as the embedded one
// does, and the generator makes exactly the images demoapi embeds: so
// changing a scenario without rerunning the generator, or the other way
// round, fails here.
func TestGeneratorMatchesEmbedded(t *testing.T) {
	if missing := guestimage.MissingTools(); len(missing) > 0 {
		t.Fatalf("missing %v: run scripts/test-deps.sh", missing)
	}
	embedded := map[string]demoapi.DemoImage{}
	for _, img := range demoapi.DemoImages() {
		embedded[img.Key] = img
	}
	out := t.TempDir()
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(64<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	for _, d := range demoDisks() {
		img, ok := embedded["guests/"+d.file]
		if !ok {
			t.Errorf("%s is generated but demoapi does not embed it", d.file)
			continue
		}
		delete(embedded, img.Key)
		size, packed, err := build(out, d)
		if err != nil {
			t.Fatal(err)
		}
		if packed > 64<<10 {
			t.Errorf("%s: %d bytes compressed; the demo images should stay a few KB", d.file, packed)
		}
		z, err := os.ReadFile(filepath.Join(out, d.file+".zst"))
		if err != nil {
			t.Fatal(err)
		}
		data, err := dec.DecodeAll(z, nil)
		if err != nil || len(data) != size {
			t.Fatalf("%s: %d bytes back, want %d: %v", d.file, len(data), size, err)
		}
		rep, err := inspect.Inspect(context.Background(), bytes.NewReader(data), int64(len(data)), inspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range rep.Findings {
			ids = append(ids, f.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, img.Findings) || rep.Format != img.Format {
			t.Errorf("%s rebuilt: %s with findings %v; demoapi says %s with %v", d.file, rep.Format, ids, img.Format, img.Findings)
		}
	}
	for key := range embedded {
		t.Errorf("demoapi embeds %s, which the generator does not make", key)
	}
}
