package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/uimport/uimport/importspec"
)

// runImportFile is `import --file FILE --bucket B`: check the file, upload
// it, then import the object, in that order, each step only if the one
// before succeeded. Everything that needs no network is checked before
// anything is sent, and the file's format before a byte of it is.
func runImportFile(ctx context.Context, app *App, s settings, spec importspec.Spec, o *importOptions) error {
	w := app.IO.Err
	f := o.File
	switch {
	case spec.URL != "":
		return usageErrorf("Use --url for an image already in UFile, or --file (with --bucket) to upload one; not both.",
			"--file and --url are mutually exclusive")
	case !o.Yes && !o.DryRun:
		// On a terminal runImport opened the wizard at this file instead.
		return usageErrorf("Add --yes to upload, then authorise and submit the import, or --dry-run to check the file and see the request.",
			"no terminal to ask for confirmation")
	}
	if err := f.check(); err != nil {
		return err
	}
	if !o.SkipCheck {
		res, err := checkLocalFile(w, f.Path, spec.Format, true)
		if err != nil {
			return err
		}
		if spec.Format == "" && res.Accepted {
			spec.Format = res.Format // what the file is: the best default there is
			notef(w, "Format: %s, as the file says (--format overrides).", spec.Format)
		}
	}
	if s.Demo {
		spec = demoDefaults(w, spec, f)
	}
	if missing := slices.DeleteFunc(spec.Missing(), func(m string) bool { return m == "--url" }); len(missing) > 0 {
		return usageErrorf("Pass them as flags.", "missing "+strings.Join(missing, ", "))
	}
	warnings, err := spec.Validate()
	for _, msg := range warnings {
		warnf(w, "%s", msg)
	}
	if err := withoutURLError(err); err != nil {
		return usageErrorf("Correct the values above and run again.", "invalid input:\n"+err.Error())
	}

	sess, err := app.openSession(ctx, s)
	if err != nil {
		return err
	}
	defer sess.Close()
	client, err := sess.client(ctx)
	if err != nil {
		return err
	}
	t, err := sess.resolveTarget(ctx, f, spec.Region, spec.ProjectID, true)
	if err != nil {
		return err
	}
	// The object URL is known before the upload: check it as an import
	// URL now rather than after an hour of upload.
	spec.URL = t.client.ObjectURL(f.key())
	if err := importspec.ValidateURL(spec.URL, spec.AllowHTTP); err != nil {
		return usageErrorf("Use an https endpoint, or add --allow-http if the cloud may fetch the image over http.",
			fmt.Sprintf("the object would be at %s, which the import cannot take: %v", spec.URL, err))
	}
	if sess.demo == nil { // the simulator's address is not a UFile host, knowingly
		for _, msg := range importspec.URLWarnings(spec.URL, spec.Region, spec.Format) {
			warnf(w, "%s", msg)
		}
	}
	if t.region != "" && t.region != spec.Region {
		warnf(w, "bucket %s is in %s but the image goes to %s; cross-region imports may fail or be slow", f.Bucket, t.region, spec.Region)
	}

	if o.DryRun {
		spec.URL = t.importURL(f.key(), app.Now())
		notef(w, "Dry run: nothing was uploaded. %s would be uploaded to %s, then imported with the request below.", f.Path, t.client.ObjectURL(f.key()))
		if sayPresigned(w, t) {
			notef(w, "(The real pre-signed URL is made when the upload ends, so its 24 hours start then.)")
		}
		return printDryRun(app.IO, s.JSON, client.PrepareImport(spec.Request()))
	}
	if _, err := sess.uploadFile(ctx, t, f, o.Wizard.Accessible); err != nil {
		return err
	}
	// Signed now, after the upload: the URL's 24 hours start when the
	// import is sent, however long the upload took.
	spec.URL = t.importURL(f.key(), app.Now())
	sayPresigned(w, t)
	err = submitImport(ctx, app, s, sess, client, spec, client.PrepareImport(spec.Request()), o.Wait)
	if ExitCode(err) == ExitAPIRefused && !t.private {
		// Refused for sure, so not imported: a retry need not upload again
		// (the upload's state is gone once it completed).
		notef(w, "The file stays in UFile: retry the import with --url %s instead of --file, so it is not uploaded again.", t.client.ObjectURL(f.key()))
	}
	return err
}

// demoDefaults fills what `import --demo --file disk.qcow2 --bucket b
// --yes` leaves out, so the demo runs with no more typing; a real import
// asks for them, since only the user knows the OS.
func demoDefaults(w io.Writer, spec importspec.Spec, f fileFlags) importspec.Spec {
	var filled []string
	set := func(field *string, flag, v string) {
		if *field == "" {
			*field = v
			filled = append(filled, flag+" "+v)
		}
	}
	name := strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path))
	if importspec.ValidateName(name) != nil {
		name = "demo-image"
	}
	set(&spec.Region, "--region", "cn-bj2")
	set(&spec.Name, "--name", name)
	set(&spec.OsType, "--os-type", "Other")
	set(&spec.OsName, "--os-name", "Other")
	if len(filled) > 0 {
		notef(w, "Demo defaults: %s.", strings.Join(filled, ", "))
	}
	return spec
}

// sayPresigned tells, before the import is sent, that its URL carries a
// signature, and that the journal will not. It reports whether it did.
func sayPresigned(w io.Writer, t objectTarget) bool {
	if !t.private {
		return false
	}
	why := "the bucket is private"
	if !t.known {
		why = "the bucket's type is unknown (a signed URL works for a public one too)"
	}
	notef(w, "UFileUrl is a pre-signed GET URL valid for %s, since %s; the journal keeps it without its signature.",
		strings.TrimSuffix(presignFor.String(), "0m0s"), why)
	return true
}

// withoutURLError drops the --url error of a spec whose URL is not known
// yet: with --file it is the upload's object URL, checked later.
func withoutURLError(err error) error {
	var errs importspec.Errors
	if !errors.As(err, &errs) {
		return err
	}
	errs = slices.DeleteFunc(slices.Clone(errs), func(e *importspec.FieldError) bool { return e.Flag == "--url" })
	if len(errs) == 0 {
		return nil
	}
	return errs
}
