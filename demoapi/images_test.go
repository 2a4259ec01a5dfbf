package demoapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/rangereader"
	"github.com/uimport/uimport/ufile"
)

// checkDemoInspection inspects one demo image and checks the report
// against what DemoImages promises for it.
func checkDemoInspection(t *testing.T, img DemoImage, r io.ReaderAt, size int64) *inspect.Report {
	t.Helper()
	rep, err := inspect.Inspect(context.Background(), r, size, inspect.Options{})
	if err != nil {
		t.Fatalf("%s: %v", img.Key, err)
	}
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, img.Findings) {
		t.Errorf("%s: findings %v, DemoImages says %v: %+v", img.Key, ids, img.Findings, rep.Findings)
	}
	if blocking := len(rep.Blocking()) > 0; blocking != img.Blocking {
		t.Errorf("%s: blocking = %v, DemoImages says %v", img.Key, blocking, img.Blocking)
	}
	if rep.Format != img.Format {
		t.Errorf("%s: format %q, DemoImages says %q", img.Key, rep.Format, img.Format)
	}
	if rep.OS == nil || rep.Suggested == nil || rep.Root == nil {
		t.Errorf("%s: no OS, suggestion or root found: %+v", img.Key, rep)
	}
	return rep
}

func TestDemoImagesInspect(t *testing.T) {
	imgs := DemoImages()
	if len(imgs) < 3 || len(imgs[0].Findings) != 0 {
		t.Fatalf("want a clean image first and at least three: %+v", imgs)
	}
	wantOS := map[string]string{
		"guests/ubuntu-22.04-mbr.qcow2": "Ubuntu 22.04 64位",
		"guests/rocky-9-gpt.qcow2":      "Rocky Linux 9.3 64位",
		"guests/centos-6-sda.vmdk":      "CentOS 6.10 32位",
		"guests/debian-12-novirtio.vhd": "Debian 12 64位",
	}
	for _, img := range imgs {
		t.Run(img.Key, func(t *testing.T) {
			r, err := DemoImageReader(img.Key)
			if err != nil {
				t.Fatal(err)
			}
			rep := checkDemoInspection(t, img, r, r.Size())
			if want, ok := wantOS[img.Key]; !ok || rep.Suggested == nil || rep.Suggested.OsName != want {
				t.Errorf("suggested %+v, want OsName %q", rep.Suggested, want)
			}
		})
	}
}

func TestDemoImagesOverHTTP(t *testing.T) {
	base := startObjects(t)
	for _, img := range DemoImages() {
		u := DemoImageURL(base, img.Key)
		if !strings.HasPrefix(u, base+"/ufile/"+DemoBucket+"/guests/") {
			t.Fatalf("DemoImageURL(%q) = %q", img.Key, u)
		}
		rr, err := rangereader.Open(context.Background(), rangereader.Options{URL: u, BlockSize: 64 << 10})
		if err != nil {
			t.Fatalf("%s: %v", img.Key, err)
		}
		local, _ := DemoImageReader(img.Key)
		if rr.Size() != local.Size() {
			t.Errorf("%s: served %d bytes, want %d", img.Key, rr.Size(), local.Size())
		}
		checkDemoInspection(t, img, rr, rr.Size())
		if st := rr.Stats(); st.Requests < 2 {
			t.Errorf("%s: inspected in %d request(s): was it read by ranges?", img.Key, st.Requests)
		}
		// The object is the decompressed image, byte for byte.
		resp, body := fetch(t, http.MethodGet, u, nil)
		want, _ := io.ReadAll(local)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: GET: HTTP %d, %d bytes (want %d), ETag %q", img.Key, resp.StatusCode, len(body), len(want), resp.Header.Get("ETag"))
		}
	}
}

func TestDemoImagesReadOnly(t *testing.T) {
	base := startObjects(t)
	u := DemoImageURL(base, DemoImages()[1].Key)
	req, err := http.NewRequest(http.MethodPut, u, strings.NewReader("overwrite"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT over a demo image: HTTP %d, want 405", resp.StatusCode)
	}
	r, _ := DemoImageReader(DemoImages()[1].Key)
	if b, _ := io.ReadAll(io.NewSectionReader(r, 0, 4)); string(b) != "QFI\xfb" {
		t.Errorf("demo image changed: starts %q", b)
	}
}

// The private bucket serves the images only to a signed request.
func TestDemoImagesPrivate(t *testing.T) {
	base := startObjects(t)
	key := DemoImages()[0].Key
	u := strings.Replace(DemoImageURL(base, key), "/"+DemoBucket+"/", "/"+DemoPrivateBucket+"/", 1)
	if resp, _ := fetch(t, http.MethodGet, u, http.Header{"Range": {"bytes=0-511"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned GET: HTTP %d, want 403", resp.StatusCode)
	}
	signed, err := ufile.Presign(u, http.MethodGet, apiclient.Keys{PublicKey: PublicKey, PrivateKey: PrivateKey}, DemoPrivateBucket, key, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	resp, b := fetch(t, http.MethodGet, signed, http.Header{"Range": {"bytes=0-511"}})
	if resp.StatusCode != http.StatusPartialContent || len(b) != 512 || !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes 0-511/") {
		t.Errorf("signed ranged GET: HTTP %d, %d bytes, Content-Range %q", resp.StatusCode, len(b), resp.Header.Get("Content-Range"))
	}
}

func TestDemoImageUnknownKey(t *testing.T) {
	if u := DemoImageURL("http://127.0.0.1:1", "guests/nope.qcow2"); u != "" {
		t.Errorf("URL for an unknown key: %q", u)
	}
	if u := DemoImageURL("http://127.0.0.1:1", "images/ubuntu-22.04.qcow2"); u != "" {
		t.Errorf("a generated object is not a demo image: %q", u)
	}
	if _, err := DemoImageReader("guests/nope.qcow2"); err == nil {
		t.Error("a reader for an unknown key")
	}
}

// Every embedded file is a listed image, and the list's slice is a copy.
func TestDemoImagesEmbedded(t *testing.T) {
	files, err := fs.Glob(imageFiles, "images/*")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, d := range demoImages {
		listed["images/"+d.file] = true
		// The generator (internal/guestimage/cmd/make-demo-images) relies on it.
		if d.Key != "guests/"+strings.TrimSuffix(d.file, ".zst") {
			t.Errorf("key %q does not follow its file %q", d.Key, d.file)
		}
	}
	for _, f := range files {
		if !listed[f] {
			t.Errorf("%s is embedded but not in demoImages", f)
		}
	}
	if len(files) != len(demoImages) {
		t.Errorf("%d files embedded, %d listed", len(files), len(demoImages))
	}
	imgs := DemoImages()
	imgs[1].Findings[0] = "changed"
	if DemoImages()[1].Findings[0] == "changed" {
		t.Error("DemoImages hands out its own slices")
	}
}

func TestDecompressImageBounded(t *testing.T) {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	packed := enc.EncodeAll(make([]byte, 2<<20), nil)
	if _, err := decompressImage(packed, 1<<20); err == nil {
		t.Error("a 2 MiB image decompressed under a 1 MiB limit")
	}
	if b, err := decompressImage(packed, 2<<20); err != nil || len(b) != 2<<20 {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
	if _, err := decompressImage([]byte("not zstd"), 1<<20); err == nil {
		t.Error("garbage decompressed")
	}
	if _, err := loadImage("missing.zst"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
