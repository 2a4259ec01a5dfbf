package inspect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uimport/uimport/internal/guestimage"
	"github.com/uimport/uimport/rangereader"
)

// An object read with ranged GETs gives the same report as the file, in
// few requests.
func TestRemoteImage(t *testing.T) {
	path := guestimage.BuildT(t, guestimage.Rocky9GPT(), "qcow2")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var full int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") == "" {
			full++
		}
		http.ServeContent(w, r, filepath.Base(path), time.Time{}, f)
	}))
	defer srv.Close()
	ctx := context.Background()
	rr, err := rangereader.Open(ctx, rangereader.Options{URL: srv.URL + "/disk.qcow2", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	remote, err := Inspect(ctx, rr, rr.Size(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	local := inspectFile(t, path, Options{})
	a, _ := json.Marshal(remote)
	b, _ := json.Marshal(local)
	if string(a) != string(b) {
		t.Errorf("remote report differs:\n%s\n%s", a, b)
	}
	st := rr.Stats()
	t.Logf("remote: %d GETs, %d KiB", st.Requests, st.Bytes>>10)
	if st.Requests > 100 || st.Bytes > 64<<20 || full > 0 {
		t.Errorf("%d GETs, %d bytes, %d without Range", st.Requests, st.Bytes, full)
	}
}
