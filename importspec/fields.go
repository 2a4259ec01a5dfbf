package importspec

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Limits on free text. The API documents none; these match the console's
// limits and keep previews readable.
const (
	MaxNameLen        = 63
	MaxTagLen         = 63
	MaxDescriptionLen = 255
	MaxOsNameLen      = 63
)

var regionPattern = regexp.MustCompile(`^[a-z]{2,4}(-[a-z0-9]+)*$`)

// ValidateRegion checks the shape of a region id such as cn-bj2 or hk.
func ValidateRegion(v string) error {
	if err := required(v); err != nil {
		return err
	}
	if !regionPattern.MatchString(v) {
		return fmt.Errorf("%q is not a region id (like sg, hk or cn-bj2)", v)
	}
	return nil
}

var projectPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// ValidateProjectID allows empty (the default project) or an id like org-abc123.
func ValidateProjectID(v string) error {
	if v == "" {
		return nil
	}
	if !projectPattern.MatchString(v) {
		return fmt.Errorf("%q is not a project id (like org-abc123)", v)
	}
	return nil
}

// nameSymbols are the punctuation marks allowed in an image name besides
// letters, digits and spaces.
const nameSymbols = "-_.()[]:+@#,/"

// ValidateName checks an image name: 1 to 63 characters, letters (any
// script), digits, spaces and -_.()[]:+@#,/ only.
func ValidateName(v string) error {
	if err := required(v); err != nil {
		return err
	}
	if v != strings.TrimSpace(v) {
		return fmt.Errorf("must not start or end with a space")
	}
	if err := checkText(v, MaxNameLen); err != nil {
		return err
	}
	for _, r := range v {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || strings.ContainsRune(nameSymbols, r) {
			continue
		}
		return fmt.Errorf("%q is not allowed; use letters, digits, spaces and %s", r, nameSymbols)
	}
	return nil
}

// ValidateTag checks the optional business group.
func ValidateTag(v string) error { return checkText(v, MaxTagLen) }

// ValidateDescription checks the optional description.
func ValidateDescription(v string) error { return checkText(v, MaxDescriptionLen) }
