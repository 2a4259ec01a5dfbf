package preflight

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/ufile"
)

// expirySoon: a pre-signed URL closer than this to expiring may die before
// the import service gets round to downloading it.
const expirySoon = time.Hour

// largeDisk is where the UHost import guidance ("about 50 GB or less is
// recommended") starts to apply.
const largeDisk = 50 << 30

// checkExpiry looks at a pre-signed URL's Expires without any request. It
// reports whether the URL has already expired.
func checkExpiry(rep *Report, q url.Values, now time.Time) bool {
	at, ok := ufile.Expiry(q)
	if !ok || !ufile.IsPresigned(q) {
		return false
	}
	const fix = "make a new pre-signed URL valid for longer (24 hours is common)"
	switch left := at.Sub(now); {
	case left <= 0:
		rep.add(Blocking, CodeURLExpiry, fmt.Sprintf("the pre-signed URL expired at %s", at.UTC().Format("2006-01-02 15:04 MST")), fix)
		return true
	case left < expirySoon:
		rep.add(Warning, CodeURLExpiry, fmt.Sprintf("the pre-signed URL expires in %s, possibly before the import service downloads it", left.Round(time.Minute)), fix)
	}
	return false
}

// unreachable explains a failed request. It is a warning: the import
// service reads the object from inside the cloud, where it may well be
// reachable (internal hosts only are).
func unreachable(rep *Report, parent context.Context, err error, host string, timeout time.Duration) {
	if parent.Err() != nil {
		rep.add(Warning, CodeNotChecked, "the object check was cancelled", "")
		return
	}
	note := ""
	if strings.Contains(host, "internal") || host == "ufile.cn-north-02.ucloud.cn" {
		note = "; it is a UFile internal host, reachable only from inside its region, so this is expected"
	}
	rep.add(Warning, CodeUnreachable,
		fmt.Sprintf("could not reach %s from here (%s)%s; the import service downloads from inside the cloud, so the import can go on", host, netReason(err, timeout), note),
		"if the object should be reachable from here, check the URL's host")
}

// netReason names a network failure in a few words. It never prints the
// request URL (net/http's errors do), which may carry a signature.
func netReason(err error, timeout time.Duration) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var netErr net.Error
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		// The request went to HTTP(S)_PROXY, which failed: name it, or the
		// user checks the object's host in vain.
		proxy := "the proxy"
		var dial *net.OpError
		if errors.As(opErr.Err, &dial) && dial.Addr != nil {
			proxy += " " + dial.Addr.String()
		} else if opErr.Addr != nil {
			proxy += " " + opErr.Addr.String()
		}
		return proxy + " (HTTPS_PROXY) failed: " + netReason(opErr.Err, timeout)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return fmt.Sprintf("no answer within %s", timeout)
	case errors.As(err, &dnsErr):
		return "the host name does not resolve"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to the host"
	case errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr):
		return "its TLS certificate is not trusted here"
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return err.Error()
}

// statusProblem explains an answer that carried no object.
func statusProblem(rep *Report, a answer, u *url.URL, haveKeys, signed bool) {
	e := parseError(a.body)
	why := fmt.Sprintf("HTTP %d", a.status)
	if e.ErrMsg != "" {
		why += ": " + printable(e.ErrMsg)
	}
	switch {
	case a.status == 404 && e.RetCode == -30010:
		what := "the bucket does not exist"
		if loc, err := importspec.ParseUFileURL(u.String()); err == nil && loc.Known {
			what = fmt.Sprintf("there is no bucket %q", loc.Bucket)
		}
		rep.add(Blocking, CodeNotFound, fmt.Sprintf("%s (%s)", what, why),
			"check the bucket name and region in the host: <bucket>.<region>.ufileos.com")
	case a.status == 404:
		rep.add(Blocking, CodeNotFound, fmt.Sprintf("there is no object at that key (%s)", why),
			"check the key's spelling and case (keys are case-sensitive), or upload the image")
	case refused(a.status) && ufile.IsPresigned(u.Query()):
		rep.add(Warning, CodeRefused, fmt.Sprintf("the server refused the pre-signed URL (%s); if its signature is wrong, the import will be refused too", why),
			"make a new pre-signed URL for this exact key")
	case refused(a.status) && signed:
		rep.add(Warning, CodeRefused, fmt.Sprintf("the server refused a read signed with your keys (%s), so the object was not checked", why),
			"check that these keys may read the bucket and that the host is the bucket's region; for a private bucket, give a pre-signed URL")
	case refused(a.status):
		fix := "if the bucket is private, give a pre-signed URL; the import service cannot read it otherwise"
		if !haveKeys {
			fix += " (with API keys, uimport could also examine the object)"
		}
		rep.add(Warning, CodeRefused, fmt.Sprintf("the server refused an unsigned read (%s), so the object was not checked", why), fix)
	case a.status >= 500:
		rep.add(Warning, CodeHTTPStatus, fmt.Sprintf("the server answered %s, so the object was not checked", why),
			"try again later; the import itself may still work")
	default:
		rep.add(Warning, CodeHTTPStatus, fmt.Sprintf("unexpected answer (%s), so the object was not checked", why), "check the URL")
	}
}

// sniffProblems turns what the bytes say into problems.
func sniffProblems(rep *Report, declared string) {
	s := rep.Sniff
	switch {
	case s.Format == "":
		return
	case !s.Accepted:
		rep.add(Blocking, CodeNotImportable, s.Reason, s.Fix)
	case s.Contradicts(declared):
		rep.add(Blocking, CodeFormatMismatch, fmt.Sprintf("the object is %s but the format given is %s", s.Format, declared),
			fmt.Sprintf("set the format to %s (--format %s), or skip the check (--skip-check) to import it as %s anyway", s.Format, s.Format, declared))
	}
	for i, w := range s.Warnings {
		rep.add(Warning, CodeImage, w, s.WarningFixes[i])
	}
	if s.Accepted && s.VirtualSize > largeDisk {
		rep.add(Warning, CodeLargeDisk, fmt.Sprintf("the disk is %s; the UHost docs recommend importing images of about 50 GB or less", imageformat.HumanSize(s.VirtualSize)),
			"shrink the disk if you can; a larger import may be slow or refused")
	}
}

// printable keeps a server's error text to one safe line.
func printable(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
