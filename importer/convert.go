package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/upload"
)

// What a local file's upload sends (issue 13): the file as it is, the
// image inside a compressed file or an OVA, a RAW as qcow2 of its data,
// or a qemu-img conversion. The plan is made once per file and options
// (a compressed file is read through to make it) and kept for the session.

// planCache keeps plans by file identity and options.
type planCache struct {
	mu    sync.Mutex
	plans map[planKey]*convert.Plan
}

type planKey struct {
	path  string
	size  int64
	mtime time.Time
	asIs  bool
}

// PlanUpload decides what uploading f sends. A format declared as what is
// inside (RAW for a RAW) sends that as it is; f.AsIs does too.
func (s *Session) PlanUpload(ctx context.Context, f FileSpec, declared string) (*convert.Plan, error) {
	p, err := s.planDeclared(ctx, f, declared)
	if err != nil {
		return nil, planError(f.Path, err)
	}
	return p, nil
}

// planDeclared is PlanUpload with convert's own errors.
func (s *Session) planDeclared(ctx context.Context, f FileSpec, declared string) (*convert.Plan, error) {
	p, err := s.plan(ctx, f.Path, f.AsIs)
	if err != nil {
		return nil, err
	}
	if declared != "" && !f.AsIs && p.Converted && !strings.EqualFold(declared, p.Format) &&
		strings.EqualFold(declared, p.Inner.Format) {
		s.cfg.Events.note("The format given is %s, so the image is sent as %s (without --format: %s).", declared, p.Inner.Format, p.Steps)
		return s.plan(ctx, f.Path, true)
	}
	return p, nil
}

// PrepareUpload plans the upload of f (f.Format is the declared format)
// and, unless skipCheck, checks what will be sent, before a byte is: the
// steps are said ("xz → raw → qcow2 (...)"), then the file check as
// VetFile says it. A file that is no image at all goes as it is (nil
// plan), blocked by the check when it is to be imported (mustImport).
func (s *Session) PrepareUpload(ctx context.Context, f FileSpec, mustImport, skipCheck bool) (*convert.Plan, FileVerdict, error) {
	p, err := s.planDeclared(ctx, f, f.Format)
	var ni *convert.NotImageError
	switch {
	case errors.As(err, &ni) && skipCheck:
		return nil, FileVerdict{}, nil
	case errors.As(err, &ni):
		v, err := s.VetFile(f.Path, f.Format, mustImport)
		return nil, v, err
	case err != nil:
		return nil, FileVerdict{}, planError(f.Path, err)
	}
	ev := s.cfg.Events
	if p.Converted || p.Inner.Format == imageformat.RAW {
		ev.note("Upload: %s.", p.Steps)
	}
	if skipCheck {
		return p, FileVerdict{}, nil
	}
	if !p.Converted {
		v, err := s.VetFile(f.Path, f.Format, mustImport)
		return p, v, err
	}
	v := convertedVerdict(p, f.Format)
	ev.note("File checked: %s", p.Inner.Summary())
	if err := v.FileError(); err != nil {
		return p, v, err
	}
	for _, w := range v.Warnings {
		ev.warn("%s", w)
	}
	return p, v, nil
}

// Inspectable reports whether the inspection, which reads the file
// itself, can see the image that is sent; it says so when it cannot (an
// image inside a .xz or an OVA).
func (s *Session) Inspectable(p *convert.Plan) bool {
	if p == nil || !p.Unpacked {
		return true
	}
	s.cfg.Events.note("Image not inspected: it is packed (%s); to check it, unpack it and run uimport inspect on the image.", p.Steps)
	return false
}

// convertedVerdict is the file check of what a converting plan sends.
func convertedVerdict(p *convert.Plan, declared string) FileVerdict {
	res := p.Inner
	res.Format, res.Accepted = p.Format, true
	v := FileVerdict{Result: res, Size: p.Size}
	for i, w := range p.Inner.Warnings {
		v.Warnings = append(v.Warnings, withFix(w, p.Inner.WarningFixes[i]))
	}
	if declared != "" && !strings.EqualFold(declared, p.Format) {
		v.Blocking = append(v.Blocking, &FormatMismatch{File: p.Format, Declared: declared, Sent: p.Steps})
	}
	return v
}

func (s *Session) plan(ctx context.Context, path string, asIs bool) (*convert.Plan, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, inputErrorf("Give the path of a disk image file.", fmt.Sprintf("cannot upload %s: %v", path, unwrapPathError(err)))
	}
	key := planKey{abs, fi.Size(), fi.ModTime(), asIs}
	if p := s.plans.get(key); p != nil {
		return p, nil
	}
	ev := s.cfg.Events
	o := convert.Options{AsIs: asIs}
	var last time.Time
	o.Progress = func(done, total int64) {
		if now := s.cfg.Now(); now.Sub(last) >= 10*time.Second && done < total {
			if !last.IsZero() {
				ev.note("Reading %s: %.0f%%", filepath.Base(path), 100*float64(done)/float64(max(total, 1)))
			}
			last = now
		}
	}
	p, err := convert.NewPlan(ctx, path, o)
	if err != nil {
		return nil, err
	}
	s.plans.put(key, p)
	return p, nil
}

// get and put work on a nil cache too (a Session made without Open).
func (c *planCache) get(k planKey) *convert.Plan {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.plans[k]
}

func (c *planCache) put(k planKey, p *convert.Plan) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil {
		c.plans = map[planKey]*convert.Plan{}
	}
	c.plans[k] = p
}

// planError turns a planning failure into one that says what to do.
func planError(path string, err error) error {
	var (
		pe *convert.PackedError
		md *convert.MultiDiskError
		qm *convert.QemuMissingError
		se *convert.SpaceError
		ni *convert.NotImageError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &pe), errors.As(err, &md), errors.As(err, &qm), errors.As(err, &se):
		return inputErrorf("Nothing was sent.", err.Error())
	case errors.As(err, &ni):
		return inputErrorf("Nothing was sent.", fmt.Sprintf("%s: %s", filepath.Base(path), ni.Error()))
	}
	return inputErrorf("Check the file. Nothing was sent.", fmt.Sprintf("cannot read %s: %v", filepath.Base(path), err))
}

// planSource is the plan as the upload engine takes it; nil when the file
// goes as it is (the engine then reads it, and resumes, as ever).
func planSource(p *convert.Plan) *upload.Source {
	if !p.Converted {
		return nil
	}
	return &upload.Source{Size: p.Size, Conversion: p.Conversion, DiskSize: p.VirtualSize, DataBytes: p.DataBytes,
		Open: func() (upload.Opened, error) {
			src, err := p.Open()
			if err != nil {
				return upload.Opened{}, err
			}
			return upload.Opened{At: src.At, Stream: src.Stream, Close: src.Close}, nil
		}}
}

// CheckUpload is the wizard's file check, aware of what is sent: a RAW
// that goes as qcow2 but is declared RAW is a mismatch whose fix is qcow2
// ("continue anyway" then sends it as it is); a qemu-img conversion blocks
// until the user accepts its temporary copy.
func (s *Session) CheckUpload(ctx context.Context, path, declared string) (FileVerdict, error) {
	p, err := s.plan(ctx, path, false)
	var ni *convert.NotImageError
	if errors.As(err, &ni) || (err == nil && !p.Converted) {
		return CheckFile(path, declared, true)
	}
	if err != nil {
		return FileVerdict{Blocking: []error{planError(path, err)}}, nil
	}
	v := convertedVerdict(p, declared)
	if p.Qemu != nil {
		v.Blocking = append([]error{problem(qemuQuestion(p))}, v.Blocking...)
	}
	v.Notes = append(v.Notes, "Sent as "+p.Steps+".")
	return v, nil
}

func qemuQuestion(p *convert.Plan) string {
	free := "free space unknown"
	if p.Qemu.SpaceFree >= 0 {
		free = imageformat.HumanSize(p.Qemu.SpaceFree) + " free"
	}
	return fmt.Sprintf("%s must first be converted with qemu-img (%s, %s); continue to convert it, then upload the result",
		p.Inner.Format, p.Steps, free)
}

// UploadPlanned runs a planned upload (PrepareUpload): qemu-img first if
// the plan needs it, then the engine on the plan's bytes. A nil plan
// uploads the file as it is.
func (s *Session) UploadPlanned(ctx context.Context, t Target, f FileSpec, p *convert.Plan, pr Progress) (upload.Result, error) {
	var src *upload.Source
	if p != nil && p.Qemu != nil {
		s.cfg.Events.note("Converting with qemu-img: %s", p.Qemu.Command())
		if err := p.RunQemu(ctx); err != nil {
			if ctx.Err() != nil {
				return upload.Result{}, s.uploadError(ctx, ctx.Err())
			}
			return upload.Result{}, inputErrorf("Nothing was sent.", err.Error())
		}
		defer p.Close()
	}
	if p != nil {
		src = planSource(p)
	}
	res, err := upload.Upload(ctx, upload.Options{
		File: f.Path, Bucket: f.Bucket, Key: f.ObjectKey(), Client: t.Client, Source: src,
		Parallel: f.Parallel, StateDir: s.be.uploadState, Restart: f.Restart,
		Progress: pr.Func, ProgressEvery: pr.Every,
	})
	if err != nil {
		return res, s.uploadError(ctx, err)
	}
	return res, nil
}
