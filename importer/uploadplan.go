package importer

import (
	"context"
	"strings"

	"github.com/uimport/uimport/convert"
	"github.com/uimport/uimport/importspec"
)

// UploadInput is `uimport upload`'s: the file, where it goes and how it
// is checked.
type UploadInput struct {
	File FileSpec
	// Sample writes a sample image of this size at File.Path first (demo).
	Sample string
	// Format is the declared format; "" for none.
	Format            string
	Region, ProjectID string
	SkipCheck         bool
	// Abort only finds the target, whose interrupted uploads are then
	// aborted (AbortUpload): nothing is read or planned.
	Abort bool
}

// PlannedUpload is what ReadyUpload found: the file as it will be sent,
// what is sent (nil with Abort) and where.
type PlannedUpload struct {
	File   FileSpec
	Plan   *convert.Plan
	Target Target
}

// ReadyUpload checks the file and the flags, plans what is sent
// (PrepareUpload), inspects the image unless told not to, and finds the
// target bucket, all before a byte is uploaded (UploadPlanned).
func (s *Session) ReadyUpload(ctx context.Context, in UploadInput) (PlannedUpload, error) {
	var err error
	up := PlannedUpload{File: in.File}
	file := &up.File
	if in.Sample != "" {
		if file.Path, err = s.WriteSample(file.Path, in.Sample); err != nil {
			return up, err
		}
	}
	if file.Path == "" {
		return up, inputErrorf(NoFileHint(s.Demo()), "no file given")
	}
	file.Bucket = First(file.Bucket, s.DemoBucket())
	if err := file.Check(); err != nil {
		return up, err
	}
	format := in.Format
	if format != "" {
		if err := importspec.ValidateFormat(format); err != nil {
			return up, inputErrorf("Use one of: "+strings.Join(importspec.FormatNames(), ", ")+".", "--format: "+err.Error())
		}
		format, _ = importspec.CanonicalFormat(format)
	}
	if !in.Abort {
		file.Format = format
		if up.Plan, _, err = s.PrepareUpload(ctx, *file, false, in.SkipCheck); err != nil {
			return up, err
		}
	}
	if !in.Abort && !in.SkipCheck && s.Inspectable(up.Plan) {
		if _, err := s.VetImage(ctx, InspectRequest{Source: file.Path}); err != nil {
			return up, err
		}
	}
	client, err := s.Connect(ctx)
	if err != nil {
		return up, err
	}
	up.Target, err = s.Target(ctx, client.Keys, *file, in.Region, in.ProjectID, false)
	return up, err
}
