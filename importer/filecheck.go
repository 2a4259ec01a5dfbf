package importer

import (
	"fmt"
	"os"
	"strings"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/upload"
)

// FileVerdict is the check of a local file before a byte of it is sent: a
// qcow2 declared VMDK is caught in a second, not after an hour of upload.
// It reads the file's first and last bytes only (and, for RAW, samples).
type FileVerdict struct {
	Result imageformat.Result
	Size   int64
	// Blocking are what would make the import fail: a *FormatMismatch, or
	// the reason the import does not take the file. Empty: go on.
	Blocking []error
	// Warnings, each with its fix.
	Warnings []string
	// Notes are for information, like a mostly-zero RAW.
	Notes []string
}

// Summary is e.g. "qcow2 (v3), 20 GiB".
func (v FileVerdict) Summary() string {
	return v.Result.Summary() + ", " + imageformat.HumanSize(v.Size)
}

// Mismatch is the blocker that says the file is another format, if any.
func (v FileVerdict) Mismatch() *FormatMismatch {
	for _, e := range v.Blocking {
		if m, ok := e.(*FormatMismatch); ok {
			return m
		}
	}
	return nil
}

// FormatMismatch is a file or object of another format than the one
// declared. File is its format as the API spells it, so a face can offer
// to declare it.
type FormatMismatch struct {
	File, Declared string
	// Sent, when set, says how the file becomes File on the way (issue
	// 13: "raw → qcow2 (2 GiB of data in a 20 GiB disk)").
	Sent string
}

func (e *FormatMismatch) Error() string {
	if e.Sent != "" {
		return "the upload sends " + e.File + " (" + e.Sent + ") but the format given is " + e.Declared
	}
	return "the file is " + e.File + " but the format given is " + e.Declared
}

// CheckFile checks the file at path against declared ("" when none was
// given). mustImport: the file is about to be imported, so a format the
// import does not take blocks; a plain upload with no format only warns,
// as the object may be converted later. The error is for a file that
// cannot be read at all.
func CheckFile(path, declared string, mustImport bool) (FileVerdict, error) {
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		return FileVerdict{}, inputErrorf("Give the path of a disk image file.", fmt.Sprintf("cannot upload %s: %v", path, unwrapPathError(err)))
	}
	res, err := upload.SniffFile(path)
	if err != nil {
		return FileVerdict{}, inputErrorf("Check the file's permissions.", fmt.Sprintf("cannot read %s: %v", path, unwrapPathError(err)))
	}
	v := FileVerdict{Result: res, Size: fi.Size()}
	switch {
	case !res.Accepted && (mustImport || declared != ""):
		v.Blocking = append(v.Blocking, problem(withFix(res.Reason, res.Fix)))
	case !res.Accepted:
		v.Warnings = append(v.Warnings, withFix(res.Reason+" (this upload goes on; importing it would fail)", res.Fix))
	case res.Contradicts(declared):
		actual, ok := importspec.CanonicalFormat(res.Format)
		if !ok {
			actual = res.Format
		}
		v.Blocking = append(v.Blocking, &FormatMismatch{File: actual, Declared: declared})
	}
	for i, msg := range res.Warnings {
		v.Warnings = append(v.Warnings, withFix(msg, res.WarningFixes[i]))
	}
	if res.Format == imageformat.RAW || strings.EqualFold(declared, imageformat.RAW) {
		if hint, ok := upload.ZeroRatioHint(path); ok {
			v.Notes = append(v.Notes, hint)
		}
	}
	return v, nil
}

// problem is a blocker in words.
type problem string

func (p problem) Error() string { return string(p) }

// FileError is the command line's error for a verdict that blocks: every
// blocker, with the flag that fixes a mismatch.
func (v FileVerdict) FileError() error {
	if len(v.Blocking) == 0 {
		return nil
	}
	msgs := make([]string, len(v.Blocking))
	for i, e := range v.Blocking {
		msgs[i] = e.Error()
		if m, ok := e.(*FormatMismatch); ok {
			msgs[i] = withFix(m.Error(), fmt.Sprintf("set --format %s, or --skip-check to go on as %s anyway", m.File, m.Declared))
		}
	}
	return inputErrorf("Fix the file or the flags; --skip-check uploads it anyway. Nothing was sent.",
		"the file check found a problem that would make the import fail:\n"+strings.Join(msgs, "\n"))
}

func withFix(msg, fix string) string {
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
