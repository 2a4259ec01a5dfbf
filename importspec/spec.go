// Package importspec holds what the user wants imported and the rules it must
// meet before anything is signed: the CLI's flags and the wizard's fields are
// both checked here, so both accept and refuse exactly the same values.
package importspec

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uimport/uimport/apiclient"
)

// Spec is one import as the user described it. Field names follow the flags.
type Spec struct {
	Region      string
	ProjectID   string
	Name        string
	URL         string
	OsType      string
	OsName      string
	Format      string
	Tag         string
	Description string
	AllowHTTP   bool // plain-http UFile URLs only when the user asked for it
}

// FieldError names the flag that supplies a bad or missing value.
type FieldError struct {
	Flag    string // e.g. "--name"
	Problem string
}

func (e *FieldError) Error() string { return e.Flag + ": " + e.Problem }

// Errors collects every FieldError found, so the user can fix all at once.
type Errors []*FieldError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As find each *FieldError.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Normalize trims values and puts Format and OsType in their canonical spelling.
func (s Spec) Normalize() Spec {
	trim := strings.TrimSpace
	s.Region, s.ProjectID, s.Name, s.URL = trim(s.Region), trim(s.ProjectID), trim(s.Name), trim(s.URL)
	s.OsType, s.OsName, s.Tag, s.Description = trim(s.OsType), trim(s.OsName), trim(s.Tag), trim(s.Description)
	if f, ok := CanonicalFormat(s.Format); ok {
		s.Format = f
	}
	if t, ok := CanonicalOsType(s.OsType); ok {
		s.OsType = t
	}
	if s.OsType == OsTypeOther && (s.OsName == "" || strings.EqualFold(s.OsName, OsTypeOther)) {
		s.OsName = OsTypeOther
	}
	return s
}

// Validate checks a normalized spec. It returns every error (nil if none) and
// warnings that should be shown but do not stop the import.
func (s Spec) Validate() (warnings []string, err error) { return s.ValidateWith(nil) }

// ValidateWith is Validate knowing apiRegions, the regions GetRegion
// returned for these keys: a region outside them is then refused rather
// than warned about (with none, offline, the documented list only warns).
func (s Spec) ValidateWith(apiRegions []string) (warnings []string, err error) {
	var errs Errors
	add := func(flag string, e error) {
		if e != nil {
			errs = append(errs, &FieldError{Flag: flag, Problem: e.Error()})
		}
	}
	add("--region", ValidateRegionIn(s.Region, apiRegions))
	add("--project-id", ValidateProjectID(s.ProjectID))
	add("--name", ValidateName(s.Name))
	add("--url", ValidateURL(s.URL, s.AllowHTTP))
	add("--os-type", ValidateOsType(s.OsType))
	add("--os-name", ValidateOsName(s.OsType, s.OsName))
	add("--format", ValidateFormat(s.Format))
	add("--tag", ValidateTag(s.Tag))
	add("--description", ValidateDescription(s.Description))
	if s.Region != "" && ValidateRegion(s.Region) == nil && len(apiRegions) == 0 && !IsKnownRegion(s.Region) {
		warnings = append(warnings, fmt.Sprintf("region %q is not in the documented list; check it if the API refuses it", s.Region))
	}
	if w := OsNameWarning(s.OsName); w != "" && ValidateOsName(s.OsType, s.OsName) == nil {
		warnings = append(warnings, w)
	}
	if s.URL != "" && ValidateURL(s.URL, s.AllowHTTP) == nil {
		warnings = append(warnings, URLWarnings(s.URL, s.Region, s.Format)...)
	}
	if len(errs) > 0 {
		return warnings, errs
	}
	return warnings, nil
}

// Missing lists the flags of required fields that are empty.
func (s Spec) Missing() []string {
	var out []string
	for _, f := range []struct{ flag, v string }{
		{"--region", s.Region}, {"--name", s.Name}, {"--url", s.URL},
		{"--os-type", s.OsType}, {"--os-name", s.OsName}, {"--format", s.Format},
	} {
		if f.v == "" {
			out = append(out, f.flag)
		}
	}
	return out
}

// Request turns a valid spec into the API request.
func (s Spec) Request() apiclient.ImportRequest {
	return apiclient.ImportRequest{
		Region:           s.Region,
		ProjectId:        s.ProjectID,
		ImageName:        s.Name,
		UFileUrl:         s.URL,
		OsType:           s.OsType,
		OsName:           s.OsName,
		Format:           s.Format,
		Tag:              s.Tag,
		ImageDescription: s.Description,
	}
}

var errRequired = errors.New("required")

func required(v string) error {
	if strings.TrimSpace(v) == "" {
		return errRequired
	}
	return nil
}

// checkText rejects control characters and over-long values, which would be
// invisible in previews or silently cut by the API.
func checkText(v string, maxRunes int) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("is not valid UTF-8 (check the terminal's or script's encoding)")
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("contains a control character (%U); remove it", r)
		}
	}
	if n := len([]rune(v)); n > maxRunes {
		return fmt.Errorf("is %d characters long; at most %d allowed", n, maxRunes)
	}
	return nil
}
