package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/uimport/uimport/demoapi"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/upload"
)

// uploadOptions are `uimport upload`'s own flags.
type uploadOptions struct {
	File       fileFlags
	Region     string
	Format     string
	SkipCheck  bool
	Abort      bool
	Sample     string
	Accessible bool
}

func newUploadCmd(app *App, g *globalFlags) *cobra.Command {
	o := &uploadOptions{}
	cmd := &cobra.Command{
		Use:   "upload FILE --bucket BUCKET",
		Short: "Upload a disk image to UFile: resumable, verified; prints the object's URL",
		Long: "Upload a local disk image to a UFile bucket, in parallel parts, and check the stored\n" +
			"object against the file (UFile's ETag). On success the object's URL alone is printed\n" +
			"on stdout.\n\n" +
			"Interrupted (Ctrl+C, a lost SSH session, kill -9, the network gone)? Run the same\n" +
			"command again: it goes on from the parts already stored and never sends them twice.\n\n" +
			"The bucket's host comes from the API's DescribeBucket where the keys allow it, else\n" +
			"from --region; --ufile-endpoint (env UCLOUD_UFILE_ENDPOINT) sets it outright.",
		Example: "  uimport upload disk.qcow2 --bucket mybucket --region cn-bj2\n" +
			"  uimport upload disk.qcow2 --bucket mybucket --key images/web.qcow2 -o json\n" +
			"  uimport upload disk.qcow2 --bucket mybucket --abort   # forget an interrupted upload\n" +
			"  uimport upload --demo --sample 64MiB                  # no account needed",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.File.Path = args[0]
			}
			return runUpload(cmd.Context(), app, g, o)
		},
	}
	f := cmd.Flags()
	o.File.register(f)
	f.StringVar(&o.Region, "region", "", "the bucket's region, like cn-bj2 or sg, when DescribeBucket cannot tell (env UCLOUD_REGION)")
	f.StringVar(&o.Format, "format", "", "the image's format, checked against the file: "+strings.Join(importspec.FormatNames(), ", "))
	f.BoolVar(&o.SkipCheck, "skip-check", false, "do not check the file's format before uploading")
	f.BoolVar(&o.Abort, "abort", false, "abort an interrupted upload of FILE to this bucket and key, and forget it")
	f.StringVar(&o.Sample, "sample", "", "with --demo: generate a sample qcow2 image of this size (like 64MiB) and upload it")
	f.BoolVar(&o.Accessible, "accessible", false, "plain progress lines, for screen readers (env ACCESSIBLE=1; automatic with TERM=dumb)")
	return cmd
}

func runUpload(ctx context.Context, app *App, g *globalFlags, o *uploadOptions) error {
	s, err := app.resolve(g)
	if err != nil {
		return err
	}
	if o.Sample != "" {
		if err := writeSample(app, s, o); err != nil {
			return err
		}
	}
	if o.File.Path == "" {
		hint := "Give the file to upload: uimport upload FILE --bucket BUCKET."
		if s.Demo {
			hint += " In the demo, --sample 64MiB makes one."
		}
		return usageErrorf(hint, "no file given")
	}
	if s.Demo && o.File.Bucket == "" {
		o.File.Bucket = demoapi.DemoBucket
	}
	if err := o.File.check(); err != nil {
		return err
	}
	if o.Format != "" {
		if err := importspec.ValidateFormat(o.Format); err != nil {
			return usageErrorf("Use one of: "+strings.Join(importspec.FormatNames(), ", ")+".", "--format: "+err.Error())
		}
		o.Format, _ = importspec.CanonicalFormat(o.Format)
	}
	if !o.Abort && !o.SkipCheck {
		if _, err := checkLocalFile(app.IO.Err, o.File.Path, o.Format, false); err != nil {
			return err
		}
	}
	sess, err := app.openSession(ctx, s)
	if err != nil {
		return err
	}
	defer sess.Close()
	region := first(o.Region, s.Region)
	t, err := sess.resolveTarget(ctx, o.File, region, s.ProjectID, false)
	if err != nil {
		return err
	}
	if o.Abort {
		return sess.abortUpload(ctx, t, o.File)
	}
	res, err := sess.uploadFile(ctx, t, o.File, o.Accessible)
	if err != nil {
		return err
	}
	if t.private && t.known {
		notef(app.IO.Err, "The bucket is private: reading this URL needs a signature (`uimport import --file` hands the import a pre-signed one).")
	}
	if s.JSON {
		return writeJSON(app.IO.Out, uploadResult{URL: res.URL, Bucket: res.Bucket, Key: res.Key, Size: res.Size,
			ETag: res.ETag, Verified: res.Verified, Resumed: res.Resumed, Demo: s.Demo})
	}
	fmt.Fprintln(app.IO.Out, res.URL)
	return nil
}

// uploadResult is `upload --output json`.
type uploadResult struct {
	URL      string `json:"url"`
	Bucket   string `json:"bucket"`
	Key      string `json:"key"`
	Size     int64  `json:"size"`
	ETag     string `json:"etag"`
	Verified bool   `json:"verified"`
	Resumed  bool   `json:"resumed"`
	Demo     bool   `json:"demo,omitempty"`
}

// abortUpload is `upload --abort`: UFile deletes the parts, uimport its
// state.
func (sess *session) abortUpload(ctx context.Context, t objectTarget, f fileFlags) error {
	w := sess.app.IO.Err
	if sess.demo != nil {
		notef(w, "Nothing to abort: demo uploads keep no state.")
		return nil
	}
	n, err := upload.Abort(ctx, upload.Options{File: f.Path, Bucket: f.Bucket, Key: f.key(), Client: t.client,
		StateDir: upload.StateDir(sess.app.StateDir())})
	if err != nil {
		return sess.uploadError(ctx, err)
	}
	if n == 0 {
		notef(w, "No interrupted upload of %s to %s/%s to abort.", filepath.Base(f.Path), f.Bucket, f.key())
		return nil
	}
	okf(w, "Aborted %d interrupted upload(s) of %s to %s/%s: UFile deletes their parts.", n, filepath.Base(f.Path), f.Bucket, f.key())
	return nil
}

// writeSample makes the demo's sample image (demoapi.WriteSampleImage):
// at FILE if given, else in the temp directory. An existing file of the
// right size is kept, so its upload state (keyed by mtime) still holds.
func writeSample(app *App, s settings, o *uploadOptions) error {
	if !s.Demo {
		return usageErrorf("Add --demo: sample images are for the simulator.", "--sample needs --demo")
	}
	size, err := parseSize(o.Sample)
	if err != nil || size < 256<<10 {
		return usageErrorf("Give a size of at least 256KiB, like 64MiB or 1GiB.", fmt.Sprintf("--sample %q is not a usable size", o.Sample))
	}
	if o.File.Path == "" {
		o.File.Path = filepath.Join(os.TempDir(), "uimport-sample-"+strconv.FormatInt(size, 10)+".qcow2")
	}
	if fi, err := os.Stat(o.File.Path); err == nil && fi.Size() == size {
		notef(app.IO.Err, "Sample image: %s (kept from an earlier run)", o.File.Path)
		return nil
	}
	if err := demoapi.WriteSampleImage(o.File.Path, size); err != nil {
		return fmt.Errorf("writing the sample image: %w", err)
	}
	notef(app.IO.Err, "Sample image written: %s", o.File.Path)
	return nil
}

// parseSize reads 64MiB, 64M, 1.5GB or 1048576. Decimal units (KB, MB,
// GB) are powers of 1000, binary ones (KiB, Ki, K, MiB, M, ...) of 1024.
func parseSize(v string) (int64, error) {
	v = strings.TrimSpace(v)
	i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := v, ""
	if i >= 0 {
		num, unit = v[:i], strings.ToUpper(strings.TrimSpace(v[i:]))
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a size: %q", v)
	}
	mult := map[string]float64{"": 1, "B": 1,
		"K": 1 << 10, "KI": 1 << 10, "KIB": 1 << 10, "KB": 1e3,
		"M": 1 << 20, "MI": 1 << 20, "MIB": 1 << 20, "MB": 1e6,
		"G": 1 << 30, "GI": 1 << 30, "GIB": 1 << 30, "GB": 1e9}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("unknown unit in %q", v)
	}
	return int64(n * mult), nil
}
