package upload

import (
	"context"
	"os"
	"path/filepath"

	"github.com/uimport/uimport/ufile"
)

// Abort aborts every interrupted upload of o.File to o.Bucket/o.Key that
// the state directory knows of, whatever the file's size and mtime now
// (it may even be gone), and removes their state. It returns how many it
// aborted; 0 with no error means there was nothing to abort. An upload
// UFile no longer knows counts as aborted.
func Abort(ctx context.Context, o Options) (int, error) {
	if err := o.resolve(); err != nil {
		return 0, err
	}
	if o.StateDir == "" {
		return 0, &Error{Msg: "no state directory", HintText: "this is a bug in the caller"}
	}
	abs, err := filepath.Abs(o.File)
	if err != nil {
		return 0, err
	}
	u := &uploader{o: o, c: o.Client, abs: abs}
	u.prefix, _ = stateNames(o.StateDir, abs, o.Bucket, o.Key, 0, u.mtime, "", 0)
	release, err := u.lock()
	if err != nil {
		return 0, err
	}
	defer release()
	n := 0
	for _, p := range u.stateFiles() {
		st, err := loadState(p)
		if err == nil && st != nil {
			err = u.retry(ctx, "AbortMultipartUpload", o.RequestTimeout, func(c context.Context) error {
				return o.Client.AbortMultipartUpload(c, o.Key, st.h.UploadID)
			})
			if k := ufile.KindOf(err); err != nil && k != ufile.KindUploadGone && k != ufile.KindNotFound {
				return n, err // state kept: aborting can be tried again
			}
		}
		os.Remove(p)
		n++
	}
	return n, nil
}
