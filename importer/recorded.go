package importer

import (
	"github.com/uimport/uimport/imagecopy"
	"github.com/uimport/uimport/journal"
)

// RecordedEntry is where the journal says an image was made: the region
// and project to ask DescribeImage in, and, for a copy, what it was
// copied from. Zero when the journal does not know the image.
type RecordedEntry struct {
	Region, ProjectID string
	Copy              *imagecopy.JournalledCopy
}

// RecordedImage looks imageID up in the journal under stateHome. A copy
// lives in its target region and project, not in the source's Region.
func RecordedImage(stateHome, imageID string) RecordedEntry {
	if imageID == "" {
		return RecordedEntry{}
	}
	entries, _, _ := journal.Read(OpenJournal(stateHome).Path())
	prev, ok := journal.FindImage(entries, imageID)
	if !ok {
		return RecordedEntry{}
	}
	if c, isCopy := imagecopy.CopyOf(prev.Params); isCopy {
		return RecordedEntry{Region: c.Region, ProjectID: c.ProjectID, Copy: &c}
	}
	return RecordedEntry{Region: prev.Params["Region"], ProjectID: prev.Params["ProjectId"]}
}
