package importer

import (
	"fmt"

	"github.com/uimport/uimport/journal"
)

// History is the journal's entries, newest first: every submit is written
// before it is sent, so an import whose answer never arrived still shows.
type History struct {
	Path    string
	Entries []journal.Entry
	// Skipped counts damaged lines passed over.
	Skipped int
}

// ReadHistory reads at most limit entries (0 for all) from the journal
// under stateHome.
func ReadHistory(stateHome string, limit int) (History, error) {
	h := History{Path: OpenJournal(stateHome).Path()}
	entries, skipped, err := journal.Read(h.Path)
	if err != nil {
		return h, fmt.Errorf("reading %s: %w", h.Path, err)
	}
	if limit > 0 && len(entries) > limit {
		entries = entries[:limit]
	}
	if entries == nil {
		entries = []journal.Entry{}
	}
	h.Entries, h.Skipped = entries, skipped
	return h, nil
}

// Outcome is what became of a journal entry, for a person.
func Outcome(e journal.Entry) string {
	switch {
	case e.OutcomeUnknown():
		return "sent, outcome unknown: check with `uimport status` / the console before retrying"
	case e.Error != "":
		return "failed: " + firstLine(e.Error)
	case e.State != "":
		return e.State
	default:
		return "submitted"
	}
}
