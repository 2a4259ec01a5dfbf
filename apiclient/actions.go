package apiclient

import (
	"context"
	"errors"
	"strconv"

	"github.com/uimport/uimport/internal/safetext"
)

// The actions uimport uses.
const (
	ActionImportCustomImage = "ImportCustomImage"
	ActionDescribeImage     = "DescribeImage"
	ActionGetRegion         = "GetRegion"
	ActionGetProjectList    = "GetProjectList"
)

// ImportRequest holds ImportCustomImage's parameters. Auth is always sent as
// true: the caller has obtained the user's consent before building one.
type ImportRequest struct {
	Region           string
	ProjectId        string
	ImageName        string
	UFileUrl         string
	OsType           string
	OsName           string
	Format           string
	Tag              string
	ImageDescription string
}

// Params are the request's wire parameters, without Action and signature.
func (r ImportRequest) Params() Params {
	return Params{
		"Region":           r.Region,
		"ProjectId":        r.ProjectId,
		"ImageName":        r.ImageName,
		"UFileUrl":         r.UFileUrl,
		"OsType":           r.OsType,
		"OsName":           r.OsName,
		"Format":           r.Format,
		"Auth":             "true",
		"Tag":              r.Tag,
		"ImageDescription": r.ImageDescription,
	}
}

// PrepareImport signs an import request, for previews and for SendImport.
func (c *Client) PrepareImport(r ImportRequest) PreparedRequest {
	return c.Prepare(ActionImportCustomImage, r.Params())
}

// SendImport sends a prepared ImportCustomImage exactly once and returns the
// ImageId. It is not idempotent, so nothing here ever repeats it.
func (c *Client) SendImport(ctx context.Context, req PreparedRequest) (string, error) {
	var out struct {
		ImageId string `json:"ImageId"`
	}
	if err := c.Send(ctx, req, &out); err != nil {
		return "", err
	}
	if out.ImageId == "" {
		return "", &ResponseError{Action: ActionImportCustomImage, Kind: ResponseMalformed, Snippet: "RetCode 0 but no ImageId"}
	}
	if !ValidImageID(out.ImageId) {
		return "", badImageID(ActionImportCustomImage, out.ImageId)
	}
	return out.ImageId, nil
}

// ImportCustomImage signs and sends an import once.
func (c *Client) ImportCustomImage(ctx context.Context, r ImportRequest) (string, error) {
	return c.SendImport(ctx, c.PrepareImport(r))
}

// Image is one DescribeImage record.
type Image struct {
	ImageId          string
	ImageName        string
	ImageType        string
	OsType           string
	OsName           string
	State            string
	ImageSize        int
	CreateTime       int64
	ImageDescription string
	Zone             string
}

// Image states.
const (
	StateMaking      = "Making"
	StateAvailable   = "Available"
	StateUnavailable = "Unavailable"
	StateCopying     = "Copying"
)

// DescribeImageRequest selects images; ImageId narrows to one.
type DescribeImageRequest struct {
	Region    string
	Zone      string
	ProjectId string
	ImageType string
	ImageId   string
	Offset    int
	Limit     int
}

// DescribeImageResult is DescribeImage's answer.
type DescribeImageResult struct {
	TotalCount int
	ImageSet   []Image
}

// DescribeImage lists images; transient failures are retried. A
// malformed ImageId in the request is an *InputError (nothing is sent); in
// the answer, a malformed ImageId, or one other than the ImageId asked
// for, is a *ResponseError.
func (c *Client) DescribeImage(ctx context.Context, r DescribeImageRequest) (DescribeImageResult, error) {
	if r.ImageId != "" && !ValidImageID(r.ImageId) {
		return DescribeImageResult{}, &InputError{Field: "ImageId", Problem: "\"" + safetext.Escape(r.ImageId) + "\" is " + ErrBadImageID.Error()}
	}
	p := Params{
		"Region":    r.Region,
		"Zone":      r.Zone,
		"ProjectId": r.ProjectId,
		"ImageType": r.ImageType,
		"ImageId":   r.ImageId,
	}
	if r.Offset > 0 {
		p["Offset"] = strconv.Itoa(r.Offset)
	}
	if r.Limit > 0 {
		p["Limit"] = strconv.Itoa(r.Limit)
	}
	var out DescribeImageResult
	if err := c.call(ctx, ActionDescribeImage, p, &out, true); err != nil {
		return out, err
	}
	for _, im := range out.ImageSet {
		switch {
		case !ValidImageID(im.ImageId):
			return DescribeImageResult{}, badImageID(ActionDescribeImage, im.ImageId)
		case r.ImageId != "" && im.ImageId != r.ImageId:
			return DescribeImageResult{}, &ResponseError{Action: ActionDescribeImage, Kind: ResponseMalformed,
				Snippet: "asked about " + r.ImageId + ", answered about " + im.ImageId, Err: errOtherImage}
		}
	}
	return out, nil
}

// errOtherImage: DescribeImage for one ImageId answered about another.
var errOtherImage = errors.New("the answer is about another image")

// Region is one GetRegion record: a zone of a region.
type Region struct {
	Region     string
	Zone       string
	RegionId   int
	RegionName string
	IsDefault  bool
	BitMaps    string
}

// GetRegion lists the regions and zones the keys may use.
func (c *Client) GetRegion(ctx context.Context) ([]Region, error) {
	var out struct{ Regions []Region }
	err := c.call(ctx, ActionGetRegion, Params{}, &out, true)
	return out.Regions, err
}

// Project is one GetProjectList record.
type Project struct {
	ProjectId     string
	ProjectName   string
	IsDefault     bool
	ParentId      string
	ParentName    string
	ResourceCount int
	MemberCount   int
	CreateTime    int64
}

// GetProjectList lists the account's projects.
func (c *Client) GetProjectList(ctx context.Context) ([]Project, error) {
	var out struct {
		ProjectCount int
		ProjectSet   []Project
	}
	err := c.call(ctx, ActionGetProjectList, Params{}, &out, true)
	return out.ProjectSet, err
}
