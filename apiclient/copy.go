package apiclient

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ActionCopyCustomImage copies a custom image to a region and project. Like
// an import it is not idempotent: every accepted call makes a new image.
const ActionCopyCustomImage = "CopyCustomImage"

// CopyUnsupportedRegions do not support CopyCustomImage (UHost guide: North
// China (Beijing) cn-bj1). Pickers leave them out; the API still decides.
var CopyUnsupportedRegions = []string{"cn-bj1"}

// CopySupported reports whether region is not known to refuse copies.
func CopySupported(region string) bool { return !slices.Contains(CopyUnsupportedRegions, region) }

// CopyRequest holds CopyCustomImage's parameters for one target. The API
// also takes TargetRegionList.N for several targets at once; uimport sends
// one request per target so each answer names exactly one new image.
type CopyRequest struct {
	Region                 string // where the source image lives
	ProjectId              string // the source's project; empty: the default project
	SourceImageId          string
	TargetProjectId        string // required by the API
	TargetRegion           string // empty or equal to Region: a copy in the same region
	TargetImageName        string
	TargetImageDescription string
	TargetImageTag         string
}

// Params are the request's wire parameters, without Action and signature.
// TargetRegion is left out for a same-region copy, as the API asks.
func (r CopyRequest) Params() Params {
	target := r.TargetRegion
	if target == r.Region {
		target = ""
	}
	return Params{
		"Region":                 r.Region,
		"ProjectId":              r.ProjectId,
		"SourceImageId":          r.SourceImageId,
		"TargetProjectId":        r.TargetProjectId,
		"TargetRegion":           target,
		"TargetImageName":        r.TargetImageName,
		"TargetImageDescription": r.TargetImageDescription,
		"TargetImageTag":         r.TargetImageTag,
	}
}

// CopyResult is CopyCustomImage's answer for a single target.
type CopyResult struct {
	TargetImageId string
	TaskId        string
}

// PrepareCopy signs a copy request, for previews, the journal and SendCopy.
func (c *Client) PrepareCopy(r CopyRequest) PreparedRequest {
	return c.Prepare(ActionCopyCustomImage, r.Params())
}

// SendCopy sends a prepared CopyCustomImage exactly once. It is not
// idempotent, so nothing here ever repeats it; an error after which the
// copy may still have been made says so in its Hint (MayHaveArrived).
func (c *Client) SendCopy(ctx context.Context, req PreparedRequest) (CopyResult, error) {
	var out CopyResult
	if err := c.Send(ctx, req, &out); err != nil {
		return CopyResult{}, err
	}
	if out.TargetImageId == "" {
		return CopyResult{}, &ResponseError{Action: ActionCopyCustomImage, Kind: ResponseMalformed, Snippet: "RetCode 0 but no TargetImageId"}
	}
	if !ValidImageID(out.TargetImageId) {
		// Never printed, journalled or followed as it came: it is the
		// server's text. The copy may exist, which the error's hint says.
		return CopyResult{}, badImageID(ActionCopyCustomImage, out.TargetImageId)
	}
	return out, nil
}

// CopyCustomImage signs and sends a copy once.
func (c *Client) CopyCustomImage(ctx context.Context, r CopyRequest) (CopyResult, error) {
	return c.SendCopy(ctx, c.PrepareCopy(r))
}

// MayHaveArrived reports whether a non-idempotent action that failed with
// err may still have been carried out: a transport error after the request
// left, a gateway error (5xx), an answer that could not be read, or a
// gateway timeout (RetCode 110). The journal records such sends as uncertain.
func MayHaveArrived(err error) bool {
	var (
		te *TransportError
		he *HTTPError
		re *ResponseError
		ae *APIError
	)
	switch {
	case errors.As(err, &te):
		return te.MayHaveBeenSent
	case errors.As(err, &he):
		return he.StatusCode >= 500
	case errors.As(err, &re):
		return true
	case errors.As(err, &ae):
		return ae.RetCode == 110
	}
	return false
}

// copyCaveat ends the hint of an error after which a copy may have been
// made: copying again would make a second image.
const copyCaveat = " The copy request may have reached the server: check the console or `uimport history` before copying again."

// copyRetCodes explain RetCodes as CopyCustomImage means them. The codes
// the API gives for "copying not enabled" and "cn-bj1 unsupported" are not
// documented, so the likely ones carry those causes in their words, and
// ExplainAction's fallback for a copy names all three.
var copyRetCodes = map[int]RetCodeInfo{
	230: {"A copy parameter is missing or invalid; cn-bj1 refuses copies this way, naming Region or TargetRegion.",
		"If the message names Region or TargetRegion and it is cn-bj1: pick another source region (import in cn-bj2, then copy). Otherwise correct the named value."},
	299: {"These keys may not copy images, or copying images is not enabled for this account.",
		"Open a ticket asking to enable custom image copy for the account, or ask its owner to grant UHost image permissions."},
	8956: {"The source is not a custom image in this region and project, or does not exist.",
		"Check the source ImageId, --region and --project-id (the source's own region and project)."},
}

// copyFallback explains a copy refusal whose RetCode is not in copyRetCodes.
func copyFallback(code int) RetCodeInfo {
	return RetCodeInfo{
		Meaning: fmt.Sprintf("The API refused the copy (RetCode %d).", code),
		Fix: "Copying may need to be enabled for the account (open a ticket); cn-bj1 does not support copies " +
			"(pick another source region); and the source image must be Available.",
	}
}

// ExplainAction is Explain for a refusal of action: a copy's RetCodes get
// copy-specific words; every other action gets Explain's.
func ExplainAction(action string, code int) RetCodeInfo {
	if action != ActionCopyCustomImage {
		return Explain(code)
	}
	if info, ok := copyRetCodes[code]; ok {
		return info
	}
	if _, ok := retCodes[code]; ok {
		return Explain(code)
	}
	return copyFallback(code)
}
