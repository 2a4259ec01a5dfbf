package demoapi

import (
	"crypto/rand"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Image is a custom image as ImportCustomImage recorded it.
type Image struct {
	ImageID     string
	ImageName   string
	OsType      string // as sent (CentOS, Ubuntu, Windows, Other, ...)
	OsName      string
	Format      string
	Region      string
	Zone        string
	ProjectID   string // the default project when the request named none
	Tag         string // "Default" when the request named none
	Description string
	UFileURL    string
	CreateTime  time.Time
	Polls       int    // DescribeImage answers that have included it
	State       string // what the next DescribeImage answer will report
}

// Images returns a copy of the imported images, oldest first. Reading them
// does not advance their state.
func (s *Server) Images() []Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Image, 0, len(s.images))
	for _, im := range s.images {
		c := *im
		c.State = s.stateOf(im)
		out = append(out, c)
	}
	return out
}

// stateOf is the lifecycle of an import: "Making" for the first MakingPolls
// DescribeImage answers that include the image, then "Available" — or
// "Unavailable" when its UFileUrl contains "unavailable", which is how the
// demo and tests make an import fail. Callers hold s.mu.
func (s *Server) stateOf(im *Image) string {
	if state, ok := s.copies.stateOf(im); ok { // copy.go
		return state
	}
	switch {
	case im.Polls < s.makingPolls:
		return "Making"
	case strings.Contains(im.UFileURL, "unavailable"):
		return "Unavailable"
	default:
		return "Available"
	}
}

// importFormats are the exact spellings the API accepts (note "qcow2").
var importFormats = []string{"RAW", "VHD", "VMDK", "qcow2"}

// importRequired lists ImportCustomImage's required parameters in the
// order the spec gives them, which is the order they are checked.
var importRequired = []string{"Region", "ImageName", "UFileUrl", "OsType", "OsName", "Format", "Auth"}

func badParam(action, name string) reply {
	return failure(action, 230, "Params ["+name+"] not available")
}

// importCustomImage answers ImportCustomImage. It is not idempotent: every
// accepted call records a new image, as the real API does.
func (s *Server) importCustomImage(p map[string]string) reply {
	const action = "ImportCustomImage"
	for _, name := range importRequired {
		if p[name] == "" {
			return badParam(action, name)
		}
	}
	if !knownRegion(p["Region"]) {
		return badParam(action, "Region")
	}
	projectID := p["ProjectId"]
	if projectID == "" {
		projectID = DefaultProjectID
	} else if !knownProject(projectID) {
		return failure(action, 292, "Project ["+projectID+"] not exist")
	}
	if !slices.Contains(importFormats, p["Format"]) {
		return badParam(action, "Format")
	}
	if p["OsType"] == "Other" && p["OsName"] != "Other" {
		return badParam(action, "OsName")
	}
	if u, err := url.Parse(p["UFileUrl"]); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return badParam(action, "UFileUrl")
	}
	if p["Auth"] != "true" {
		return failure(action, 8300, "Authorization refused: Auth must be true")
	}
	tag := p["Tag"]
	if tag == "" {
		tag = "Default"
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newImageID()
	s.images = append(s.images, &Image{
		ImageID:     id,
		ImageName:   p["ImageName"],
		OsType:      p["OsType"],
		OsName:      p["OsName"],
		Format:      p["Format"],
		Region:      p["Region"],
		Zone:        firstZone(p["Region"]),
		ProjectID:   projectID,
		Tag:         tag,
		Description: p["ImageDescription"],
		UFileURL:    p["UFileUrl"],
		CreateTime:  time.Now(),
	})
	out := success(action)
	out["ImageId"] = id
	return out
}

// newImageID returns an unused "uimage-" id with 8 random lowercase
// alphanumerics. Callers hold s.mu.
func (s *Server) newImageID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	for {
		b := make([]byte, 8)
		rand.Read(b) // never fails (crypto/rand panics instead)
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		id := "uimage-" + string(b)
		if s.findImage(id) == nil {
			return id
		}
	}
}

func (s *Server) findImage(id string) *Image {
	for _, im := range s.images {
		if im.ImageID == id {
			return im
		}
	}
	return nil
}

// baseImages are the platform's standard images, visible in every region
// and project; they appear only in listings (no ImageId) and by their id.
var baseImages = []Image{
	{ImageID: "uimage-base0c79", ImageName: "CentOS 7.9 64位", OsType: "Linux", OsName: "CentOS 7.9 64位",
		Description: "CentOS 7.9 base image", CreateTime: time.Unix(1672531200, 0)},
	{ImageID: "uimage-base2204", ImageName: "Ubuntu 22.04 64位", OsType: "Linux", OsName: "Ubuntu 22.04 64位",
		Description: "Ubuntu 22.04 LTS base image", CreateTime: time.Unix(1672531200, 0)},
}

// describeImage answers DescribeImage: custom images of the request's
// region and project (newest first), then base images. An ImageId not
// (yet) known gives TotalCount 0 and an empty ImageSet, not an error,
// because the real API behaves so for ids it cannot see yet.
func (s *Server) describeImage(p map[string]string) reply {
	const action = "DescribeImage"
	region := p["Region"]
	if region == "" || !knownRegion(region) {
		return badParam(action, "Region")
	}
	// Custom images belong to a region, so Zone does not filter; rows echo
	// it, or name the region's first zone.
	zone := p["Zone"]
	if zone == "" {
		zone = firstZone(region)
	} else if !strings.HasPrefix(zone, region+"-") {
		return badParam(action, "Zone")
	}
	projectID := p["ProjectId"]
	if projectID == "" {
		projectID = DefaultProjectID
	} else if !knownProject(projectID) {
		return failure(action, 292, "Project ["+projectID+"] not exist")
	}
	imageType := p["ImageType"]
	if imageType != "" && !slices.Contains([]string{"Base", "Business", "Custom"}, imageType) {
		return badParam(action, "ImageType")
	}
	osType := p["OsType"]
	if osType != "" && osType != "Linux" && osType != "Windows" {
		return badParam(action, "OsType")
	}
	offset, ok := nonNegative(p["Offset"], 0)
	if !ok {
		return badParam(action, "Offset")
	}
	limit, ok := nonNegative(p["Limit"], 20)
	if !ok {
		return badParam(action, "Limit")
	}
	if limit == 0 {
		limit = 20
	}
	id := p["ImageId"]

	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []*Image
	var types []string // ImageType of each matched image
	if imageType == "" || imageType == "Custom" {
		for i := len(s.images) - 1; i >= 0; i-- {
			im := s.images[i]
			if im.Region == region && im.ProjectID == projectID &&
				(id == "" || im.ImageID == id) && (osType == "" || describedOsType(im.OsType) == osType) {
				matched, types = append(matched, im), append(types, "Custom")
			}
		}
	}
	if imageType == "" || imageType == "Base" {
		for i := range baseImages {
			im := &baseImages[i]
			if (id == "" || im.ImageID == id) && (osType == "" || im.OsType == osType) {
				matched, types = append(matched, im), append(types, "Base")
			}
		}
	}

	rows := make([]map[string]any, 0, limit)
	for i := offset; i < len(matched) && i < offset+limit; i++ {
		im, state := matched[i], "Available"
		if types[i] == "Custom" {
			state = s.stateOf(im)
			im.Polls++
		}
		rows = append(rows, map[string]any{
			"ImageId":          im.ImageID,
			"ImageName":        im.ImageName,
			"ImageType":        types[i],
			"OsType":           describedOsType(im.OsType),
			"OsName":           im.OsName,
			"State":            state,
			"ImageSize":        20,
			"CreateTime":       im.CreateTime.Unix(),
			"ImageDescription": im.Description,
			"Zone":             zone,
			"Features":         []string{},
		})
	}
	out := success(action)
	out["TotalCount"] = len(matched)
	out["ImageSet"] = rows
	return out
}

// describedOsType maps an import's OsType (CentOS, Ubuntu, Windows, ...) to
// the platform family DescribeImage reports, which is only "Linux" or
// "Windows" in the real API; clients must not expect their OsType back.
func describedOsType(osType string) string {
	if strings.HasPrefix(strings.ToLower(osType), "windows") {
		return "Windows"
	}
	return "Linux"
}

// nonNegative parses an optional integer parameter.
func nonNegative(v string, def int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}
