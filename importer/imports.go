package importer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/upload"
)

// ImportInput is a non-interactive import as the flags give it.
type ImportInput struct {
	Spec importspec.Spec
	// Authorised is --yes or --dry-run: a person said to go on (or that
	// nothing is sent).
	Authorised bool
	SkipCheck  bool
}

// Prepared is an import signed and ready to send once.
type Prepared struct {
	Spec    importspec.Spec
	Client  *apiclient.Client
	Request apiclient.PreparedRequest
}

// PrepareImport is `import --url`: the input checked, the keys found, the
// object checked (unless SkipCheck), and the request signed. Nothing is
// sent.
func (s *Session) PrepareImport(ctx context.Context, in ImportInput) (Prepared, error) {
	spec := in.Spec
	if missing := spec.Missing(); len(missing) > 0 {
		return Prepared{}, inputErrorf("Pass them as flags, or run `uimport` on a terminal for the guided wizard.",
			"missing "+strings.Join(missing, ", "))
	}
	if err := s.validate(spec, nil); err != nil {
		return Prepared{}, err
	}
	if !in.Authorised {
		return Prepared{}, inputErrorf("Add --yes to authorise and submit the import, or --dry-run to see the signed request.",
			"no terminal to ask for confirmation")
	}
	client, err := s.Connect(ctx)
	if err != nil {
		return Prepared{}, err
	}
	if !in.SkipCheck {
		rep, err := s.vetObject(ctx, spec, client.Keys)
		if err != nil {
			return Prepared{}, err
		}
		// What cannot be read from here has been said; the cloud reads
		// from inside, so it is no reason to wait for an inspection.
		if rep.Sniff.Format != "" {
			if _, err := s.VetImage(ctx, imageCheck(spec, spec.URL)); err != nil {
				return Prepared{}, err
			}
		}
	}
	return Prepared{Spec: spec, Client: client, Request: client.PrepareImport(spec.Request())}, nil
}

// validate reports the spec's warnings to Events and its errors as one
// InputError; drop leaves out errors not known yet (the URL of a file
// still to be uploaded).
func (s *Session) validate(spec importspec.Spec, drop func(*importspec.FieldError) bool) error {
	warnings, err := spec.Validate()
	for _, w := range warnings {
		s.cfg.Events.warn("%s", w)
	}
	var errs importspec.Errors
	if drop != nil && errors.As(err, &errs) {
		errs = slices.DeleteFunc(slices.Clone(errs), drop)
		if err = nil; len(errs) > 0 {
			err = errs
		}
	}
	if err != nil {
		return inputErrorf("Correct the values above and run again.", "invalid input:\n"+err.Error())
	}
	return nil
}

// SubmitImport sends a prepared import once (Submit) and, when the API
// took it, remembers the choices for next time.
func (s *Session) SubmitImport(ctx context.Context, p Prepared) (string, error) {
	id, err := s.Submit(ctx, p.Client, p.Request)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("%w while submitting: %w", ErrInterrupted, err)
		}
		return "", err
	}
	s.Remember(p.Spec.Region, p.Spec.ProjectID, p.Spec.OsType, p.Spec.Format)
	return id, nil
}

// VetFile checks a local file (CheckFile) and reports the verdict to
// Events: the summary, then warnings and notes; a blocker is an
// InputError.
func (s *Session) VetFile(path, declared string, mustImport bool) (FileVerdict, error) {
	v, err := CheckFile(path, declared, mustImport)
	if err != nil {
		return v, err
	}
	ev := s.cfg.Events
	ev.note("File checked: %s", v.Summary())
	if err := v.FileError(); err != nil {
		return v, err
	}
	for _, w := range v.Warnings {
		ev.warn("%s", w)
	}
	for _, n := range v.Notes {
		ev.note("%s", n)
	}
	return v, nil
}

// FileImportInput is `import --file`: a local file to upload, then import.
type FileImportInput struct {
	Spec       importspec.Spec
	File       FileSpec
	Authorised bool
	SkipCheck  bool
}

// FileImport is an `import --file` planned: the file checked, the keys
// found, the target known and the object's URL checked as an import URL,
// all before a byte is sent.
type FileImport struct {
	s      *Session
	Spec   importspec.Spec // URL: the object's bare URL until Prepare
	File   FileSpec
	Target Target
	Client *apiclient.Client
	// Plan is what the upload sends (nil: the file as it is).
	Plan *convert.Plan
}

// PlanFileImport checks everything that can be checked before the upload:
// what needs no network first, the file's format before a byte of it is
// read by anyone else.
func (s *Session) PlanFileImport(ctx context.Context, in FileImportInput) (*FileImport, error) {
	spec, f := in.Spec, in.File
	switch {
	case spec.URL != "":
		return nil, inputErrorf("Use --url for an image already in UFile, or --file (with --bucket) to upload one; not both.",
			"--file and --url are mutually exclusive")
	case !in.Authorised:
		return nil, inputErrorf("Add --yes to upload, then authorise and submit the import, or --dry-run to check the file and see the request.",
			"no terminal to ask for confirmation")
	}
	if err := f.Check(); err != nil {
		return nil, err
	}
	f.Format = spec.Format
	plan, v, err := s.PrepareUpload(ctx, f, true, in.SkipCheck)
	if err != nil {
		return nil, err
	}
	switch {
	case spec.Format != "":
	case plan != nil && plan.Converted:
		spec.Format = plan.Format // what is sent
		s.cfg.Events.note("Format: %s, what the upload sends (--format %s with --as-is sends the %s as it is).", spec.Format, plan.Inner.Format, plan.Inner.Format)
	case !in.SkipCheck && v.Result.Accepted:
		spec.Format = v.Result.Format // what the file is: the best default there is
		s.cfg.Events.note("Format: %s, as the file says (--format overrides).", spec.Format)
	}
	spec = s.DemoDefaults(spec, f.Path)
	if missing := slices.DeleteFunc(spec.Missing(), func(m string) bool { return m == "--url" }); len(missing) > 0 {
		return nil, inputErrorf("Pass them as flags.", "missing "+strings.Join(missing, ", "))
	}
	if err := s.validate(spec, func(e *importspec.FieldError) bool { return e.Flag == "--url" }); err != nil {
		return nil, err
	}
	client, err := s.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if !in.SkipCheck && s.Inspectable(plan) {
		if _, err := s.VetImage(ctx, imageCheck(spec, f.Path)); err != nil {
			return nil, err
		}
	}
	t, err := s.Target(ctx, client.Keys, f, spec.Region, spec.ProjectID, true)
	if err != nil {
		return nil, err
	}
	// The object URL is known before the upload: check it as an import
	// URL now rather than after an hour of upload.
	spec.URL = t.Client.ObjectURL(f.ObjectKey())
	if err := importspec.ValidateURL(spec.URL, spec.AllowHTTP); err != nil {
		return nil, inputErrorf("Use an https endpoint, or add --allow-http if the cloud may fetch the image over http.",
			fmt.Sprintf("the object would be at %s, which the import cannot take: %v", spec.URL, err))
	}
	if !s.Demo() { // the simulator's address is not a UFile host, knowingly
		for _, msg := range importspec.URLWarnings(spec.URL, spec.Region, spec.Format) {
			s.cfg.Events.warn("%s", msg)
		}
	}
	if t.Region != "" && t.Region != spec.Region {
		s.cfg.Events.warn("bucket %s is in %s but the image goes to %s; cross-region imports may fail or be slow", f.Bucket, t.Region, spec.Region)
	}
	return &FileImport{s: s, Spec: spec, File: f, Target: t, Client: client, Plan: plan}, nil
}

// ObjectURL is where the file goes (no signature).
func (fi *FileImport) ObjectURL() string { return fi.Target.Client.ObjectURL(fi.File.ObjectKey()) }

// Upload sends the file (Session.Upload).
func (fi *FileImport) Upload(ctx context.Context, p Progress) (upload.Result, error) {
	return fi.s.UploadPlanned(ctx, fi.Target, fi.File, fi.Plan, p)
}

// Prepare signs the import of the uploaded object. Its URL is signed now:
// a pre-signed URL's hours start when the import is sent, however long the
// upload took. It reports why the URL is pre-signed ("" when it is not).
func (fi *FileImport) Prepare() (p Prepared, presigned string) {
	spec := fi.Spec
	spec.URL = fi.Target.ImportURL(fi.File.ObjectKey(), fi.s.cfg.Now())
	return Prepared{Spec: spec, Client: fi.Client, Request: fi.Client.PrepareImport(spec.Request())}, fi.Target.PresignReason()
}
