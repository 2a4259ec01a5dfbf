package upload

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uimport/uimport/demoapi"
)

// Bytes change inside a part already in UFile and the file's size and
// mtime are put back: the resume must notice (the kept part is read and
// hashed again), send that part again, and store exactly the file.
func TestResumeRereadsKeptParts(t *testing.T) {
	for _, blk := range []int64{256 << 10, 5 << 20} { // parts inside a block; blocks straddling parts
		e := newEnv(t, demoapi.UploadOptions{BlkSize: blk})
		file := writeFile(t, t.TempDir(), "k.raw", 21<<20+3, 7)
		o := e.opts(file)
		id := e.interrupted(o, 2)
		fi, _ := os.Stat(file)
		files, _ := filepath.Glob(filepath.Join(e.dir, "*.json"))
		st, err := loadState(files[0])
		if err != nil || len(st.parts) == 0 {
			t.Fatalf("state %v, %v", st, err)
		}
		kept := -1
		for n := range st.parts {
			kept = n
		}
		f, _ := os.OpenFile(file, os.O_WRONLY, 0)
		if _, err := f.WriteAt([]byte("changed in place"), int64(kept)*blk+100); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Chtimes(file, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
		res, err := Upload(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		e.checkStored(file, "k.raw", res)
		if !res.Resumed || e.lastUploadID() != id || e.srv.PartsStored(id)[kept] != 2 {
			t.Errorf("blk %d: resumed %v, part %d stored %d times", blk, res.Resumed, kept, e.srv.PartsStored(id)[kept])
		}
		if !strings.Contains(strings.Join(res.Notes, " "), "differ from the file") {
			t.Errorf("notes %q", res.Notes)
		}
	}
}
