package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
)

// waitFlags are shared by `import --wait` and `status --wait`.
type waitFlags struct {
	Wait    bool
	Timeout time.Duration
}

// waitForImage follows an import to its end and reports progress: one line
// redrawn in place on a terminal, timestamped lines elsewhere. Available is
// success; Unavailable is exit 5 with the usual causes.
func (a *App) waitForImage(ctx context.Context, api follow.Describer, o follow.Options, s settings) (apiclient.Image, error) {
	w, jsonOut := a.IO.Err, s.JSON
	if s.Demo {
		o.FirstWait = 500 * time.Millisecond // the simulator is quick; a newcomer should not wait
	}
	live := a.IO.ErrTTY && !accessible(a)
	var last string
	var lastPrint time.Time
	img, err := follow.Wait(ctx, api, o, func(u follow.Update) {
		state := u.State
		if state == "" {
			state = "not visible yet"
		}
		if u.Err != nil {
			state += " (retrying: " + firstLine(u.Err.Error()) + ")"
		}
		elapsed := u.Elapsed.Round(time.Second)
		switch {
		case live:
			fmt.Fprintf(w, "\r\033[K%s %s · %s", dimStyle.Render("⏳"), state, elapsed)
		case state != last || a.Now().Sub(lastPrint) >= 30*time.Second:
			fmt.Fprintf(w, "%s %s: %s (%s)\n", a.Now().Format("15:04:05"), o.ImageID, state, elapsed)
			lastPrint = a.Now()
		}
		last = state
	})
	if live {
		fmt.Fprint(w, "\r\033[K")
	}
	if img.State != "" {
		if jerr := a.journal().State(o.ImageID, img.State); jerr != nil {
			warnf(w, "could not record the state: %v", jerr)
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return img, fmt.Errorf("%w: stopped waiting; the import goes on. Check later: uimport status %s --region %s", errInterrupted, o.ImageID, o.Region)
		}
		if errors.Is(err, follow.ErrTimedOut) {
			return img, &exitError{code: ExitNetwork, err: fmt.Errorf("%v; check later with `uimport status %s --region %s --wait`", err, o.ImageID, o.Region)}
		}
		return img, err
	}
	if jsonOut {
		if err := writeJSON(a.IO.Out, img); err != nil {
			return img, err
		}
	}
	if img.State == apiclient.StateUnavailable {
		var b strings.Builder
		fmt.Fprintf(&b, "image %s ended Unavailable: the import failed. Usual causes:", o.ImageID)
		for _, c := range follow.UnavailableChecklist {
			b.WriteString("\n  - " + c)
		}
		return img, &exitError{code: ExitUnavailable, err: errors.New(b.String())}
	}
	okf(w, "%s is Available: the image is ready to use.", o.ImageID)
	return img, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
