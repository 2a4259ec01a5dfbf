package imageformat

import (
	"fmt"
	"strings"
)

// Canonical names of the importable formats, spelled as importspec and the
// ImportCustomImage API spell them.
const (
	QCOW2 = "qcow2"
	VMDK  = "VMDK"
	VHD   = "VHD"
	RAW   = "RAW"
)

// Result is what the first and last bytes of an object say about it.
type Result struct {
	// Format is QCOW2, VMDK, VHD or RAW, or the name of something the
	// import does not take ("VHDX", "ISO", "gzip", "OVA", "empty", ...).
	// It is "" when there was nothing to examine.
	Format string

	// Accepted means the import service can read the object as it is: one
	// of the four importable formats, and not in a state (such as
	// encrypted) that no import could read.
	Accepted bool

	// Reason says in one line why an examined object is not accepted, and
	// Fix how to make it importable. Both are "" when Accepted.
	Reason string
	Fix    string

	// VirtualSize is the size of the disk the image describes, in bytes;
	// 0 when unknown. For RAW it is the object size.
	VirtualSize int64

	// Details are human facts, e.g. "qcow2 v3, virtual size 20 GiB".
	Details []string

	// Warnings are problems the import may survive but the user should
	// know about. WarningFixes[i] says how to resolve Warnings[i] ("" when
	// there is nothing to do); the two slices always have the same length.
	Warnings     []string
	WarningFixes []string

	// EndChecked means the object's last bytes were examined, so a fixed
	// VHD (recognisable only by its footer) would have been found.
	EndChecked bool
}

// Importable reports whether format is one of the four the import takes.
func Importable(format string) bool {
	for _, f := range []string{QCOW2, VMDK, VHD, RAW} {
		if strings.EqualFold(format, f) {
			return true
		}
	}
	return false
}

// Contradicts reports whether the object's content rules out the declared
// format. RAW is only "no signature found", so a RAW result contradicts a
// declaration of a format that has a signature (qcow2, VMDK, VHD), except
// VHD when the end of the object was not examined.
func (r Result) Contradicts(declared string) bool {
	switch {
	case declared == "" || r.Format == "":
		return false
	case strings.EqualFold(r.Format, declared):
		return false
	case r.Format == RAW && strings.EqualFold(declared, VHD) && !r.EndChecked:
		return false
	}
	return true
}

// Mismatch is the one-line message for a contradiction, or "" when there is
// none.
func (r Result) Mismatch(declared string) string {
	if !r.Contradicts(declared) {
		return ""
	}
	return fmt.Sprintf("the object is %s but --format says %s; fix --format or use --skip-check", r.Format, declared)
}

// Summary is Format and Details in one line, e.g.
// "qcow2 (qcow2 v3, virtual size 20 GiB)".
func (r Result) Summary() string {
	if len(r.Details) == 0 {
		return r.Format
	}
	return r.Format + " (" + strings.Join(r.Details, "; ") + ")"
}

func (r *Result) detail(format string, args ...any) {
	r.Details = append(r.Details, fmt.Sprintf(format, args...))
}

func (r *Result) warn(message, fix string) {
	r.Warnings = append(r.Warnings, message)
	r.WarningFixes = append(r.WarningFixes, fix)
}

// reject marks the result as not importable.
func (r *Result) reject(reason, fix string) {
	r.Accepted = false
	r.Reason, r.Fix = reason, fix
}

// accepted starts the result for one of the importable formats.
func accepted(format string) Result { return Result{Format: format, Accepted: true} }

// rejected is a format the import does not take.
func rejected(format, reason, fix string) Result {
	return Result{Format: format, Reason: reason, Fix: fix}
}
