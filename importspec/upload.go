package importspec

import (
	"fmt"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/internal/safetext"
	"github.com/uimport/uimport/ufile"
)

// ValidateBucket checks a --bucket value against UFile's naming rules
// (3 to 63 lower-case letters, digits and hyphens), so a value such as
// "evil.example.com/x" is refused before any request, never used as a host.
func ValidateBucket(v string) error {
	if err := required(v); err != nil {
		return err
	}
	return ufile.CheckBucketName(v)
}

// ValidateKey checks a --key value: valid UTF-8, no control characters, at
// most 1,024 bytes, no leading "/" and no "." or ".." segment.
func ValidateKey(v string) error { return ufile.CheckKey(v) }

// ValidateUpload checks what an upload needs before anything is sent:
// bucket, key (after the default from the file name is applied) and, if
// given, the bucket's region. It returns Errors (each a *FieldError naming
// the flag), or nil; callers treat it as a usage error (exit 2).
func ValidateUpload(bucket, key, region string) error {
	var errs Errors
	add := func(flag string, e error) {
		if e != nil {
			errs = append(errs, &FieldError{Flag: flag, Problem: e.Error()})
		}
	}
	add("--bucket", ValidateBucket(bucket))
	add("--key", ValidateKey(key))
	if region != "" {
		add("--region", ValidateRegion(region))
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// ValidateImageID checks an image id typed by the user (status, wait),
// so an empty or malformed one is a usage error with nothing sent.
func ValidateImageID(v string) error {
	if err := required(v); err != nil {
		return fmt.Errorf("the image id is empty; pass one like uimage-abc12345")
	}
	if !apiclient.ValidImageID(v) {
		return fmt.Errorf("%q is not an image id (like uimage-abc12345)", safetext.Escape(v))
	}
	return nil
}
