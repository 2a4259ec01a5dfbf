package upload

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/ufile"
)

func TestGeometry(t *testing.T) {
	const mib = 1 << 20
	g := newGeometry(13*mib, 3*mib) // parts 0-3 of 3 MiB, part 4 of 1 MiB; blocks 0-2 of 4 MiB, 3 of 1 MiB
	if g.parts != 5 || g.blocks != 4 || !g.straddles() {
		t.Fatalf("%+v", g)
	}
	if off, n := g.part(4); off != 12*mib || n != mib {
		t.Errorf("part 4 = %d+%d", off, n)
	}
	if f, l := g.blocksOf(1); f != 0 || l != 1 {
		t.Errorf("blocksOf(1) = %d..%d", f, l)
	}
	if !g.inner(3, 4) || g.inner(0, 0) || g.inner(1, 1) {
		t.Error("inner")
	}
	if newGeometry(8*mib, 4*mib).straddles() || newGeometry(3*mib, 5*mib).straddles() {
		t.Error("aligned or single-part geometry straddles")
	}
}

func sumHex(s string) string { h := sha1.Sum([]byte(s)); return hex.EncodeToString(h[:]) }

func longETag(sum [sha1.Size]byte) string {
	return base64.URLEncoding.EncodeToString(append([]byte{1, 0, 0, 0}, sum[:]...))
}

func TestMakePlan(t *testing.T) {
	g := newGeometry(10, 4) // parts 0,1 of 4 bytes, part 2 of 2; one ETag block
	sum0, sum1 := sha1.Sum([]byte("aaaa")), sha1.Sum([]byte("bbbb"))
	st := &state{parts: map[int]partRec{
		0: {N: 0, Size: 4, ETag: ufile.PartETag([]byte("aaaa")), SHA1: hex.EncodeToString(sum0[:])},
		1: {N: 1, Size: 4, ETag: "odd-form", SHA1: hex.EncodeToString(sum1[:])},
		2: {N: 2, Size: 2, ETag: "x", SHA1: sumHex("cc")},
	}, blocks: map[int][sha1.Size]byte{}}
	server := []ufile.Part{
		{Number: 0, Size: 4, ETag: longETag(sum0)}, // the 32-character form of the same hash
		{Number: 1, Size: 4, ETag: "odd-form"},     // unknown form, but what the upload answered
		{Number: 2, Size: 3, ETag: "x"},            // wrong size: sent again
		{Number: 9, Size: 4, ETag: "y"},            // out of range: ignored
	}
	pl := makePlan(g, st, server)
	if len(pl.done) != 2 || pl.dropped != 1 || len(pl.listed) != 0 {
		t.Errorf("plan %+v", pl)
	}
	// Every part is read and every block hashed, even with the block
	// hash saved: the final ETag is of the file as it is now.
	st.blocks[0] = [sha1.Size]byte{}
	if pl := makePlan(g, st, server); len(pl.jobs) != 3 || !pl.needHash[0] || len(pl.server) != 2 {
		t.Errorf("jobs %v, needHash %v", pl.jobs, pl.needHash)
	}
	// A part the state does not know is a candidate for adoption.
	if pl := makePlan(g, &state{parts: map[int]partRec{}, blocks: st.blocks}, server); len(pl.listed) != 2 {
		t.Errorf("listed %v", pl.listed)
	}
}

func TestStateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	now := time.Unix(1700000000, 5)
	prefix, path := stateNames(dir, "/data/disk.raw", "b", "k", 10, now, "", 0)
	_, other := stateNames(dir, "/data/disk.raw", "b", "k", 10, now.Add(time.Second), "", 0)
	p2, _ := stateNames(dir, "/data/disk.raw", "b", "k2", 10, now, "", 0)
	if !strings.HasPrefix(other, prefix) || other == path || p2 == prefix {
		t.Errorf("names: %s %s %s", path, other, p2)
	}
	// A conversion of the same file is another version of it.
	_, conv := stateNames(dir, "/data/disk.raw", "b", "k", 10, now, "convert/1:raw>qcow2", 7)
	_, conv2 := stateNames(dir, "/data/disk.raw", "b", "k", 10, now, "convert/1:raw>qcow2", 8)
	if !strings.HasPrefix(conv, prefix) || conv == path || conv == conv2 {
		t.Errorf("conversion names: %s %s %s", path, conv, conv2)
	}
	st := &state{h: header{V: stateVersion, UploadID: "u1", BlkSize: 4}, parts: map[int]partRec{1: {N: 1, Size: 4, ETag: "e", SHA1: "00"}},
		blocks: map[int][sha1.Size]byte{3: {1}}}
	sf, err := createState(path, st)
	if err != nil {
		t.Fatal(err)
	}
	sf.add(&partRec{N: 2, Size: 4, ETag: "f"}, map[int][sha1.Size]byte{4: {2}})
	sf.close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"p":{"n":3,"si`) // a torn last line
	f.Close()
	got, err := loadState(path)
	if err != nil || got.h.UploadID != "u1" || len(got.parts) != 2 || got.blocks[4] != [sha1.Size]byte{2} || len(got.blocks) != 2 {
		t.Fatalf("loadState = %+v, %v", got, err)
	}
	os.WriteFile(path, []byte("garbage\n"), 0o600)
	if _, err := loadState(path); err == nil {
		t.Error("a header-less state loaded")
	}
	if st, err := loadState(path + ".none"); st != nil || err != nil {
		t.Error("a missing state is not (nil, nil)")
	}
}

// The state holds no secret, and a second process is kept out.
func TestStateNoSecretAndBusy(t *testing.T) {
	e := newEnv(t, demoapi.UploadOptions{BlkSize: 256 << 10})
	file := writeFile(t, t.TempDir(), "q.raw", 5<<20, 1)
	o := e.opts(file)
	e.interrupted(o, 2)
	files, _ := filepath.Glob(filepath.Join(e.dir, "*.json"))
	b, _ := os.ReadFile(files[0])
	if strings.Contains(string(b), demoapi.PrivateKey) || strings.Contains(string(b), demoapi.PublicKey) || !strings.Contains(string(b), file) {
		t.Errorf("state content: %s", b)
	}
	unlock, err := lockFile(lockName(e.dir, testBucket, "q.raw"))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := Upload(context.Background(), o); err != ErrBusy {
		t.Errorf("err = %v, want ErrBusy", err)
	}
	// Another file, or a link to this one, to the same bucket and key is
	// kept out too.
	other := writeFile(t, t.TempDir(), "other.raw", 5<<20, 2)
	link := filepath.Join(t.TempDir(), "link.raw")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{other, link} {
		o2 := e.opts(f)
		o2.Key = "q.raw"
		if _, err := Upload(context.Background(), o2); err != ErrBusy {
			t.Errorf("%s: err = %v, want ErrBusy", f, err)
		}
	}
}
