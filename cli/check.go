package cli

import (
	"context"
	"net/url"
	"strings"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/preflight"
)

// runCheck is the pre-flight check of the UFile object, printing nothing:
// `import --yes` prints its report (checkObject) and the wizard shows it,
// so both judge the object by the same rules.
func (sess *session) runCheck(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) preflight.Report {
	if sess.demo != nil && !sameHost(spec.URL, sess.settings.BaseURL) {
		// The demo must not reach out to hosts the user never meant to
		// contact; its own objects are the ones worth checking.
		return preflight.Report{Size: -1, Problems: []preflight.Problem{{
			Severity: preflight.Warning, Code: preflight.CodeNotChecked,
			Message: "not checked in demo mode: only the simulator's own objects can be read",
			Fix:     "use one of the simulator's objects (the wizard fills one in)",
		}}}
	}
	return preflight.Check(ctx, preflight.Options{
		URL: spec.URL, Declared: spec.Format, Keys: &keys,
		HTTPClient: sess.app.HTTP, UserAgent: sess.app.userAgent(),
	})
}

// checkObject runs the check and prints what it found. Warnings never stop
// the import (the cloud reads the object from inside; this machine may
// simply not reach it); blockers do.
func (sess *session) checkObject(ctx context.Context, spec importspec.Spec, keys apiclient.Keys) error {
	w := sess.app.IO.Err
	rep := sess.runCheck(ctx, spec, keys)
	if ctxErr(ctx) {
		return errInterrupted
	}
	if rep.Sniff.Format != "" {
		notef(w, "Object checked: %s%s", rep.Sniff.Summary(), sizeNote(rep.Size))
	}
	for _, p := range rep.Warnings() {
		warnf(w, "%s", withFix(p))
	}
	blocking := rep.Blocking()
	if len(blocking) == 0 {
		return nil
	}
	msgs := make([]string, len(blocking))
	for i, p := range blocking {
		msgs[i] = withFix(p)
	}
	return usageErrorf("Fix the object or the flags; --skip-check sends the import anyway.",
		"the object check found a problem that would make the import fail:\n"+strings.Join(msgs, "\n"))
}

func withFix(p preflight.Problem) string {
	if p.Fix == "" {
		return p.Message
	}
	return p.Message + " — " + p.Fix
}

func sizeNote(size int64) string {
	if size < 0 {
		return ""
	}
	return ", " + imageformat.HumanSize(size)
}

// sameHost reports whether raw points at the simulator itself.
func sameHost(raw, base string) bool {
	u, err1 := url.Parse(raw)
	b, err2 := url.Parse(base)
	return err1 == nil && err2 == nil && u.Host == b.Host
}
