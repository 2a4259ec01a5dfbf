package importer

import "github.com/uimport/uimport/importspec"

// LocateImage is where `status` looks for imageID, before anything is
// sent: the region and project given, else where the journal recorded
// the import or copy (a copy lives in its own region and project), else
// the defaults in s. Copy is set when the journal knows it as a copy.
func LocateImage(stateHome, imageID, region, projectID string, s Settings) (RecordedEntry, error) {
	// Without an ImageId DescribeImage lists every image.
	if err := importspec.ValidateImageID(imageID); err != nil {
		return RecordedEntry{}, inputErrorf("Pass the ImageId the import or copy printed, like uimage-abc12345.", err.Error())
	}
	rec := RecordedImage(stateHome, imageID)
	loc := RecordedEntry{Region: First(region, rec.Region, s.Region), ProjectID: First(projectID, rec.ProjectID, s.ProjectID), Copy: rec.Copy}
	if loc.Region == "" {
		return loc, inputErrorf("Pass the region the image was imported to, like --region sg.", "no region for "+imageID)
	}
	return loc, nil
}

// Locate fills the source's region and project a copy request leaves out
// from the journal (copying one's own import needs no --region), then the
// defaults in s, and checks the request (Check).
func (r *CopyRequest) Locate(stateHome string, s Settings) error {
	rec := RecordedImage(stateHome, r.ImageID)
	r.Region = First(r.Region, rec.Region, s.Region)
	r.ProjectID = First(r.ProjectID, rec.ProjectID, s.ProjectID)
	if r.Region == "" && r.ImageID != "" {
		return inputErrorf("Pass the source image's region, like --region cn-bj2.", "no region for "+r.ImageID)
	}
	return r.Check()
}
