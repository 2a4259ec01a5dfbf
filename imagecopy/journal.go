package imagecopy

import (
	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/journal"
)

// JournalTo records copies in j, the same journal imports go to, so
// `history` lists them beside imports (CopyOf tells them apart).
func JournalTo(j *journal.Journal, profile, baseURL string, demo bool) Journal {
	return &journalAdapter{j: j, profile: profile, baseURL: baseURL, demo: demo}
}

type journalAdapter struct {
	j                *journal.Journal
	profile, baseURL string
	demo             bool
}

func (a *journalAdapter) Sent(req apiclient.PreparedRequest) (string, error) {
	return a.j.Sent(journal.Submit{Profile: a.profile, BaseURL: a.baseURL, Demo: a.demo, Params: req.Params})
}

func (a *journalAdapter) Outcome(id, imageID string, sendErr error, uncertain bool) error {
	return a.j.Outcome(id, imageID, sendErr, uncertain)
}

func (a *journalAdapter) State(imageID, state string) error { return a.j.State(imageID, state) }

// CopyOf tells, from a journalled request's parameters (journal.Entry's,
// empty values dropped), whether it was a copy and, if so, where the copy
// lives: its target region and project, which is where `status` must look
// for it with DescribeImage, not the source's Region.
func CopyOf(params map[string]string) (c JournalledCopy, ok bool) {
	if params["Action"] != apiclient.ActionCopyCustomImage {
		return JournalledCopy{}, false
	}
	c = JournalledCopy{
		SourceRegion:    params["Region"],
		SourceProjectID: params["ProjectId"],
		SourceImageID:   params["SourceImageId"],
		Region:          params["TargetRegion"],
		ProjectID:       params["TargetProjectId"],
		ImageName:       params["TargetImageName"],
	}
	if c.Region == "" { // a same-region copy sends no TargetRegion
		c.Region = c.SourceRegion
	}
	return c, true
}

// JournalledCopy is a copy request as the journal recorded it.
type JournalledCopy struct {
	SourceRegion, SourceProjectID, SourceImageID string
	Region, ProjectID                            string // where the copy lives
	ImageName                                    string // "" when the source's name was kept
}
