package importer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/follow"
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/internal/safetext"
)

// CopyRequest is a copy of one image to other regions, as `uimport copy`,
// `import --copy-to` and the wizard give it.
type CopyRequest struct {
	Region    string // the source's region
	ProjectID string // the source's project; "" for the default one
	ImageID   string
	To        []string // target regions, one copy each
	ToProject string   // the copies' project; "" for the source's
	// Name, Description and Tag are the copies'; "" keeps the source's name.
	Name, Description, Tag string
	// Wait follows every copy in its own region to Available or Unavailable.
	Wait bool
	// Limit bounds each copy's wait; 0 is imagecopy.DefaultLimit (1 h).
	Limit time.Duration
}

// Check refuses what can be known wrong before anything is sent: a
// malformed id or region, a target named twice or equal to the source, and
// regions that do not support copies (said in words, with what to do).
func (r CopyRequest) Check() error {
	if err := importspec.ValidateImageID(r.ImageID); err != nil {
		return inputErrorf("Give the source image's id, like uimage-abc12345.", err.Error())
	}
	if err := importspec.ValidateRegion(r.Region); err != nil {
		return inputErrorf("Pass the source's region, like --region cn-bj2.", "--region: "+err.Error())
	}
	if !apiclient.CopySupported(r.Region) {
		return inputErrorf(fmt.Sprintf("Copy from another region: import there instead (e.g. --via cn-bj2), or copy %s with the console.", r.ImageID),
			fmt.Sprintf("region %s does not support image copies (UHost guide)", r.Region))
	}
	for _, p := range []struct{ flag, v string }{{"--project-id", r.ProjectID}, {"--to-project", r.ToProject}} {
		if err := importspec.ValidateProjectID(p.v); err != nil {
			return inputErrorf("Give a project id like org-abc123, or leave it out for the default project.", p.flag+": "+err.Error())
		}
	}
	if err := CheckTargets(r.To); err != nil {
		return err
	}
	if slices.Contains(r.To, r.Region) && (r.ToProject == "" || r.ToProject == r.ProjectID) {
		return inputErrorf("Leave the source's region out of --to, or copy into another project with --to-project.",
			fmt.Sprintf("the image is already in %s", r.Region))
	}
	if r.Name != "" {
		if err := importspec.ValidateName(r.Name); err != nil {
			return inputErrorf("Use 1-63 characters, or leave --name out to keep the source's name.", "--name: "+err.Error())
		}
	}
	return nil
}

// SplitRegions reads region lists as flags give them: "hk,sg" or repeated
// flags; spaces and empty items are dropped.
func SplitRegions(values []string) []string {
	var out []string
	for _, v := range values {
		for r := range strings.SplitSeq(v, ",") {
			if r = strings.TrimSpace(r); r != "" {
				out = append(out, r)
			}
		}
	}
	return out
}

// CheckTargets checks copy target regions: at least one, each a region
// id, none twice, none that cannot take copies.
func CheckTargets(to []string) error {
	if len(to) == 0 {
		return inputErrorf("Name the target regions, like --to hk,sg.", imagecopy.ErrNoTargets.Error())
	}
	for i, r := range to {
		if err := importspec.ValidateRegion(r); err != nil {
			return inputErrorf("List target regions by id, like hk,sg.", "target region: "+err.Error())
		}
		if slices.Contains(to[:i], r) {
			return inputErrorf("Name each target region once: every copy is a new image.", fmt.Sprintf("region %s is a target twice", r))
		}
		if !apiclient.CopySupported(r) {
			return inputErrorf("Leave "+r+" out: images cannot be copied there; import into it directly if it accepts imports.",
				fmt.Sprintf("region %s does not support image copies (UHost guide)", r))
		}
	}
	return nil
}

// CopyClient is the API a copy needs; *apiclient.Client has it.
type CopyClient = imagecopy.API

// Copy checks the request, makes sure the source is Available, sends one
// CopyCustomImage per target (each journalled before it is sent, never
// retried) and, with r.Wait, follows every copy in its own region and
// project. The error stops everything before a copy is sent; each
// target's own failure is in its Result (see CopiesFailed).
func (s *Session) Copy(ctx context.Context, api CopyClient, r CopyRequest, onEvent func(imagecopy.Event)) ([]imagecopy.Result, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	targets := make([]imagecopy.Target, len(r.To))
	for i, region := range r.To {
		targets[i] = imagecopy.Target{Region: region, ProjectID: r.ToProject, ImageName: r.Name, Description: r.Description, Tag: r.Tag}
	}
	results, err := imagecopy.Copy(ctx, imagecopy.Source{Region: r.Region, ProjectID: r.ProjectID, ImageID: r.ImageID}, targets, imagecopy.Options{
		// The API's region is a parameter, so one client speaks for all.
		Clients: func(string) (imagecopy.API, error) { return api, nil },
		Journal: imagecopy.JournalTo(s.Journal(), s.settings.Profile, s.settings.BaseURL, s.journalDemo()),
		Wait:    r.Wait,
		Polling: follow.Options{FirstWait: s.be.pollFirst, Limit: r.Limit},
		OnEvent: onEvent,
	})
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("%w before any copy was sent: %w", ErrInterrupted, err)
	}
	return results, err
}

// CopiesError is a copy run in which some copies were not made or did not
// become Available. The other copies are kept; Results has them all.
type CopiesError struct{ Results []imagecopy.Result }

// CopiesFailed is nil when every copy was made (and, if followed, became
// Available), else a *CopiesError.
func CopiesFailed(results []imagecopy.Result) error {
	if imagecopy.AllAvailable(results) {
		return nil
	}
	return &CopiesError{Results: results}
}

func (e *CopiesError) Error() string {
	var bad []string
	for _, r := range e.Results {
		if !r.OK() {
			bad = append(bad, CopyLabel(r)+": "+copyProblem(r))
		}
	}
	return fmt.Sprintf("%d of %d copies failed: %s", len(bad), len(e.Results), strings.Join(bad, "; "))
}

// Hint names the copies that are kept and what to do about the failed ones.
func (e *CopiesError) Hint() string {
	var kept []string
	for _, r := range e.Results {
		if r.ImageID != "" {
			kept = append(kept, CopyLabel(r))
		}
	}
	h := "Copy again only to the failed regions (`uimport copy ... --to REGION`)."
	if len(kept) > 0 {
		h = "Kept: " + strings.Join(kept, ", ") + ". " + h
	}
	for _, r := range e.Results {
		if r.Uncertain {
			h += " The copy to " + r.Region + " may have been made: check `uimport history` first."
		}
	}
	return h
}

// Unwrap gives every failure, so Classify sees an Unavailable copy (exit
// 5) before a refusal or the network.
func (e *CopiesError) Unwrap() []error {
	var unavailable, other []error
	for _, r := range e.Results {
		var ue *imagecopy.UnavailableError
		switch {
		case r.OK():
		case errors.As(r.Err, &ue):
			unavailable = append(unavailable, r.Err)
		default:
			other = append(other, r.Err)
		}
	}
	return append(unavailable, other...)
}

// CopyLabel is "sg (uimage-abc)" or, before the API named the copy, "sg".
func CopyLabel(r imagecopy.Result) string {
	if r.ImageID == "" {
		return r.Region
	}
	return r.Region + " (" + safetext.Escape(r.ImageID) + ")"
}

// copyProblem is a failed copy in a few words.
func copyProblem(r imagecopy.Result) string {
	var ue *imagecopy.UnavailableError
	switch {
	case errors.As(r.Err, &ue):
		return "became Unavailable"
	case r.Uncertain:
		return "outcome unknown: " + firstLine(r.Err.Error())
	case r.ImageID == "":
		return "not made: " + firstLine(r.Err.Error())
	}
	return firstLine(r.Err.Error())
}
