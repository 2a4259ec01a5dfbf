package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importspec"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/safetext"
)

// VetImage is the inspection that runs by itself before an upload or an
// import (unless --skip-check): it reports what it found to Events (a
// summary, then warnings and notes, each with its fix) and returns an
// InputError when a finding blocks. An image it cannot read is a note and
// the import goes on: the container check has already said what matters
// (no such object, a format contradiction), and the cloud reads an object
// from inside, where this machine may not reach. The declared format is
// left to that check, so a format mismatch is said once.
func (s *Session) VetImage(ctx context.Context, req InspectRequest) (*inspect.Report, error) {
	req.Format = ""
	if req.Budget == 0 {
		req.Budget = AutoInspectBudget
	}
	ev := s.cfg.Events
	if rep, skip := s.uncheckable(req.Source); skip && IsURL(req.Source) {
		ev.note("Image not inspected: %s.", rep.Problems[0].Message)
		return nil, nil
	}
	in, err := s.Inspect(ctx, req)
	switch {
	case errors.Is(err, ErrInterrupted):
		return nil, err
	case err != nil:
		ev.note("Image not inspected: %s.", firstLine(err.Error()))
		return nil, nil
	}
	rep := in.Report
	if _, ok := importspec.CanonicalFormat(rep.Format); !ok && rep.Format != "" {
		// Packed, an archive, VHDX, ISO: the format check has said what to
		// do; there is no disk inside to speak of until it is done.
		ev.note("Image not inspected: %s is not a disk image the import takes.", safetext.Escape(rep.Format))
		return rep, nil
	}
	ev.note("Image inspected: %s", InspectionSummary(in))
	var blocking []string
	for _, f := range rep.Findings {
		line := withFix(f.Message, f.Fix)
		switch f.Severity {
		case inspect.Block:
			blocking = append(blocking, "  "+line)
		case inspect.Warn:
			ev.warn("%s", line)
		default:
			ev.note("%s", line)
		}
	}
	if len(blocking) == 0 {
		return rep, nil
	}
	return rep, inputErrorf("Fix the image (or the flags); --skip-check goes on anyway. Nothing was sent.",
		"the image inspection found what would make the import fail or the host not boot:\n"+strings.Join(blocking, "\n"))
}

// imageCheck is the automatic inspection of an import's image, with what
// the import declares. It lists no base images: the OS name is declared
// already, and an import sends no API call beyond its own.
func imageCheck(spec importspec.Spec, source string) InspectRequest {
	return InspectRequest{Source: source, OsType: spec.OsType, OsName: spec.OsName}
}

// InspectionSummary is one line for a person: the OS, the layout and root,
// the suggested OsType and OsName, and for an object how it was read.
// Text from the image is escaped.
func InspectionSummary(in Inspection) string {
	r := in.Report
	var parts []string
	if r.OS != nil {
		os := safetext.Escape(First(r.OS.PrettyName, strings.TrimSpace(r.OS.ID+" "+r.OS.VersionID)))
		if r.OS.Arch != "" {
			os += " (" + safetext.Escape(r.OS.Arch) + ")"
		}
		parts = append(parts, os)
	} else {
		parts = append(parts, "no OS found")
	}
	layout := safetext.Escape(r.Format)
	if r.VirtualSize > 0 {
		layout += " " + imageformat.HumanSize(r.VirtualSize)
	}
	layout += ", " + map[string]string{"mbr": "MBR", "gpt": "GPT", "none": "no partition table"}[r.PartitionTable]
	if r.Root != nil {
		layout += ", root " + safetext.Escape(r.Root.FS) + " on " + safetext.Escape(r.Root.Device)
	}
	parts = append(parts, layout)
	if sg := r.Suggested; sg != nil {
		parts = append(parts, "suggested --os-type "+safetext.Escape(sg.OsType)+SuggestedNameFlag(sg))
	}
	if rr := in.Remote; rr != nil {
		parts = append(parts, RemoteSummary(rr))
	}
	return strings.Join(parts, "; ")
}

// SuggestedNameFlag is ` --os-name 'X'` for a suggestion with a name.
func SuggestedNameFlag(sg *inspect.Suggestion) string {
	if sg == nil || sg.OsName == "" {
		return ""
	}
	return " --os-name '" + safetext.Escape(sg.OsName) + "'"
}

// RemoteSummary says how an object was read: "read 14 KiB of 2 GiB in 6
// ranged GETs (signed)".
func RemoteSummary(rr *RemoteRead) string {
	s := fmt.Sprintf("read %s of %s in %d ranged GET", imageformat.HumanSize(rr.Bytes), imageformat.HumanSize(rr.Size), rr.Requests)
	if rr.Requests != 1 {
		s += "s"
	}
	if rr.Signed {
		s += ", signed with your keys"
	}
	return s
}
