package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/upload"
)

// checkLocalFile is the format check of the follow-through issue, run on
// the local file before a single byte is sent: a qcow2 declared VMDK is
// caught in a second, not after an hour of upload. It reads the file's
// first and last bytes only (and, for RAW, a few samples).
//
// declared is --format ("" when not given). mustImport: the file is about
// to be imported, so a format the import does not take stops here; a plain
// upload with no --format only warns, as the object may be converted later.
func checkLocalFile(w io.Writer, path, declared string, mustImport bool) (imageformat.Result, error) {
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		return imageformat.Result{}, usageErrorf("Give the path of a disk image file.", fmt.Sprintf("cannot upload %s: %v", path, unwrapPathError(err)))
	}
	res, err := upload.SniffFile(path)
	if err != nil {
		return res, usageErrorf("Check the file's permissions.", fmt.Sprintf("cannot read %s: %v", path, unwrapPathError(err)))
	}
	notef(w, "File checked: %s, %s", res.Summary(), imageformat.HumanSize(fi.Size()))
	var blocking []string
	if !res.Accepted && (mustImport || declared != "") {
		blocking = append(blocking, withFixText(res.Reason, res.Fix))
	} else if !res.Accepted {
		warnf(w, "%s", withFixText(res.Reason+" (this upload goes on; importing it would fail)", res.Fix))
	}
	if res.Accepted && res.Contradicts(declared) {
		blocking = append(blocking, withFixText(fmt.Sprintf("the file is %s but the format given is %s", res.Format, declared),
			fmt.Sprintf("set --format %s, or --skip-check to go on as %s anyway", res.Format, declared)))
	}
	if len(blocking) > 0 {
		return res, usageErrorf("Fix the file or the flags; --skip-check uploads it anyway. Nothing was sent.",
			"the file check found a problem that would make the import fail:\n"+strings.Join(blocking, "\n"))
	}
	for i, msg := range res.Warnings {
		warnf(w, "%s", withFixText(msg, res.WarningFixes[i]))
	}
	if res.Format == imageformat.RAW || strings.EqualFold(declared, imageformat.RAW) {
		if hint, ok := upload.ZeroRatioHint(path); ok {
			notef(w, "%s", hint)
		}
	}
	return res, nil
}

func withFixText(msg, fix string) string {
	if fix == "" {
		return msg
	}
	return msg + " — " + fix
}

// unwrapPathError drops the *PathError's repetition of the path.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
