package preflight

import "github.com/uimport/uimport/imageformat"

// Severity says whether a problem stops the import.
type Severity int

const (
	// Warning: worth showing; the import goes on.
	Warning Severity = iota + 1
	// Blocking: the import would fail or produce a broken image. The CLI
	// stops unless --skip-check; the wizard offers a fix or "continue
	// anyway".
	Blocking
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Blocking:
		return "blocking"
	}
	return "unknown"
}

// Code names a kind of problem, so a caller can react to it (the wizard
// offers "fix the format" on CodeFormatMismatch) without parsing text.
type Code string

const (
	CodeNotChecked     Code = "not-checked"     // Warning: bad URL, or the check was cancelled
	CodeUnreachable    Code = "unreachable"     // Warning: DNS, connection, TLS or timeout
	CodeRefused        Code = "refused"         // Warning: HTTP 401/403
	CodeHTTPStatus     Code = "http-status"     // Warning: 5xx or another unexpected status
	CodeNotFound       Code = "not-found"       // Blocking: HTTP 404, no such key or bucket
	CodePrivateBucket  Code = "private-bucket"  // Blocking: readable only when signed, and the URL is not
	CodeURLExpiry      Code = "url-expiry"      // Blocking when expired, Warning when it expires soon
	CodeNotImportable  Code = "not-importable"  // Blocking: VHDX, ISO, archive, encrypted qcow2, ...
	CodeFormatMismatch Code = "format-mismatch" // Blocking: content contradicts the declared format
	CodeImage          Code = "image"           // Warning: from the image itself (GPT, backing file, ...)
	CodeLargeDisk      Code = "large-disk"      // Warning: beyond the ~50 GB the docs recommend
)

// Problem is one finding, ready to show: a one-line Message and a Fix (""
// when there is nothing to do).
type Problem struct {
	Severity Severity
	Code     Code
	Message  string
	Fix      string
}

// Report is the outcome of Check. Check never fails: everything it learns,
// including that it could learn nothing, is in here.
type Report struct {
	// Reachable means an HTTP answer came back, whatever its status.
	Reachable bool
	// Status is the HTTP status of the answer the report is based on; 0
	// when none came.
	Status int
	// Signed means that answer came to a request with a UFile
	// Authorization header.
	Signed bool
	// Size is the object's length in bytes, -1 when unknown.
	Size int64
	// Sniff is what the object's bytes say; its Format is "" when none
	// were read.
	Sniff    imageformat.Result
	Problems []Problem
}

// Blocking returns the problems that stop the import.
func (r Report) Blocking() []Problem { return r.filter(Blocking) }

// Warnings returns the problems that do not.
func (r Report) Warnings() []Problem { return r.filter(Warning) }

func (r Report) filter(s Severity) []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

func (r *Report) add(s Severity, c Code, message, fix string) {
	r.Problems = append(r.Problems, Problem{Severity: s, Code: c, Message: message, Fix: fix})
}
