package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/huh/v2"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/internal/safetext"
)

// The questions of "a file on this machine", for both modes.

// Where the image is: the URL step's first question when Upload is set.
const (
	sourceURL  = "url"
	sourceFile = "file"
)

func sourceField(choice *string) huh.Field {
	return huh.NewSelect[string]().Key("source").Title("Where is the image?").
		Options(huh.NewOption("Already in UFile (a URL)", sourceURL),
			huh.NewOption("A file on this machine (uimport uploads it)", sourceFile)).
		Value(choice)
}

// bucketsMsg carries the bucket list; gen ties it to the keys.
type bucketsMsg struct {
	gen     int
	buckets []string
	err     error
}

// loadBuckets asks for the bucket list once per keys, in the background.
func (st *wizardState) loadBuckets() job[bucketsMsg] {
	if !st.be.Features().ListsBuckets || st.bucketsAsked {
		return nil
	}
	st.bucketsAsked = true
	// Listed for the project chosen by now; a bucket in another project
	// can still be typed.
	ctx, gen, list, keys, project := st.ctx, st.bucketsGen, st.be.Buckets, st.keys, st.spec.ProjectID
	return func() bucketsMsg {
		b, err := list(ctx, keys, project)
		return bucketsMsg{gen: gen, buckets: b, err: err}
	}
}

// bucketNote says in one line why the bucket is typed, or "" for a list.
func bucketNote(st *wizardState) string {
	b := st.buckets
	switch {
	case !st.be.Features().ListsBuckets:
		return "Type the name of the bucket to upload to."
	case errors.Is(b.err, errSkipped):
		return "Buckets not listed (you skipped it): type the bucket's name."
	case b.err != nil:
		return "Could not list your buckets (" + safetext.Escape(firstLine(b.err.Error())) + "): type the bucket's name."
	case len(b.items) == 0:
		return "Your keys see no buckets here: type the bucket's name."
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// fileFields are the path, the bucket (a pick list when the API gave one)
// and the key, bound to t. The key may stay empty: it is then the file's
// name.
func fileFields(st *wizardState, t *uploadTarget) []huh.Field {
	path := huh.NewInput().Key("file").Title("Image file on this machine").
		Description(describe("file")).
		Value(&t.path).Validate(keepOr(&t.path, checkLocalPath)).Suggestions(localSuggestions(t.path))
	var bucket huh.Field
	if bucketNote(st) == "" {
		opts := huh.NewOptions(st.buckets.items...)
		bucket = huh.NewSelect[string]().Key("bucket").Title("Bucket to upload to").Description(describe("bucket")).
			Options(opts...).Value(&t.bucket)
	} else {
		bucket = huh.NewInput().Key("bucket").Title("Bucket to upload to").Description(describe("bucket")).Value(&t.bucket).
			Validate(keepOr(&t.bucket, func(v string) error {
				if strings.TrimSpace(v) == "" || strings.ContainsAny(v, "/ ") {
					return errors.New("give the bucket's name, like mybucket")
				}
				return nil
			}))
	}
	key := huh.NewInput().Key("key").Title("Object key").
		Description(describe("key")).Value(&t.key).
		Validate(func(v string) error {
			if strings.HasPrefix(v, "/") {
				return errors.New("drop the leading slash: UFile refuses such keys")
			}
			return nil
		})
	return []huh.Field{path, bucket, key}
}

// settle is the target as typed, made usable: ~ expanded, the key
// defaulted to the file's name.
func (t uploadTarget) settle() uploadTarget {
	t.path, t.bucket, t.key = expandHome(t.path), strings.TrimSpace(t.bucket), strings.TrimSpace(t.key)
	if t.key == "" {
		t.key = filepath.Base(t.path)
	}
	return t
}

// fileCheck is SniffFile's verdict on a file as declared.
type fileCheck struct {
	path, format string
	summary      string
	blocking     error
	warnings     []string
	overridden   bool // the user chose to upload despite the blocker
}

// checkFile runs SniffFile, unless it already judged this file as the
// draft declares it.
func (st *wizardState) checkFile(last *fileCheck, path string) *fileCheck {
	if c := st.checkedFile(last, path); c != nil {
		return c
	}
	return st.fileChecker(path)().check
}

// checkedFile is last when it already judged path as the draft declares
// it, or a check with nothing to do when the backend checks no files; nil
// when the file must be checked.
func (st *wizardState) checkedFile(last *fileCheck, path string) *fileCheck {
	if last != nil && last.path == path && last.format == st.spec.Format {
		return last
	}
	if !st.be.Features().CheckFiles {
		return &fileCheck{path: path, format: st.spec.Format}
	}
	return nil
}

// fileCheckedMsg is a file check's answer.
type fileCheckedMsg struct{ check *fileCheck }

// fileChecker is the check of path as a job: planning a compressed image
// reads it through once, which must not hold up the screen or Ctrl+C.
func (st *wizardState) fileChecker(path string) job[fileCheckedMsg] {
	be, format := st.be, st.spec.Format
	return func() fileCheckedMsg {
		c := &fileCheck{path: path, format: format}
		v := be.CheckFile(path, format)
		c.summary, c.blocking, c.warnings = v.Summary, v.Blocking, v.Warnings
		return fileCheckedMsg{check: c}
	}
}

func (c *fileCheck) cleared() bool { return c.blocking == nil || c.overridden }

// fileBlockedField asks what to do about the file check's blocker. For a
// format mismatch declaring the file's format is the fix; else only
// another file can help.
func fileBlockedField(st *wizardState, c *fileCheck, choice *string) huh.Field {
	opts := []huh.Option[string]{huh.NewOption("Choose another file", choiceEdit), huh.NewOption("Continue anyway", choiceContinue)}
	var mm *FormatMismatch
	if errors.As(c.blocking, &mm) {
		opts = []huh.Option[string]{
			huh.NewOption(fmt.Sprintf("Set the format to %s (recommended)", mm.File), choiceFormat),
			huh.NewOption("Continue anyway as "+st.spec.Format, choiceContinue),
			huh.NewOption("Choose another file", choiceEdit),
		}
	}
	*choice = opts[0].Value
	return huh.NewSelect[string]().Key("fileblocked").Title("The import would fail as it is. What now?").
		Options(opts...).Value(choice)
}

// answerFileCheck carries out the choice offered for the file check's
// blocker (fileBlockedField) and reports whether the user wants another
// file instead.
func (st *wizardState) answerFileCheck(c *fileCheck, choice string) (another bool) {
	switch choice {
	case choiceFormat:
		st.useFileFormat(c)
	case choiceContinue:
		c.overridden = true
	default:
		return true
	}
	return false
}

// useFileFormat is the fix for a mismatch: declare what the file is.
func (st *wizardState) useFileFormat(c *fileCheck) {
	var mm *FormatMismatch
	if errors.As(c.blocking, &mm) {
		st.spec.Format = mm.File
	}
}

// choiceRetry goes on with a failed upload; finished parts stay.
const choiceRetry = "retry"

func uploadFailedField(choice *string) huh.Field {
	*choice = choiceRetry
	return huh.NewSelect[string]().Key("uploadfailed").Title("The upload did not finish. What now?").
		Options(huh.NewOption("Try again (finished parts are not sent again)", choiceRetry),
			huh.NewOption("Back to the file", choiceEdit)).Value(choice)
}

// uploadProblemField is uploadFailedField for err: when nothing was sent
// (refused before the upload began) it says so, and offers going back
// first, since trying the same again would be refused the same way.
func uploadProblemField(choice *string, err error) huh.Field {
	if importer.UploadStarted(err) {
		return uploadFailedField(choice)
	}
	*choice = choiceEdit
	return huh.NewSelect[string]().Key("uploadfailed").Title("Nothing was uploaded. What now?").
		Options(huh.NewOption("Back to the file", choiceEdit), huh.NewOption("Try again", choiceRetry)).Value(choice)
}
