package ui

import (
	"fmt"
	"strings"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/internal/safetext"
)

// What the inspection found, as lines for both modes. Every string from
// the image is escaped (safetext) before it is shown.

// imageSummaryLines are what the image is: OS and layout, the default
// kernel's virtio, and what the import will declare.
func imageSummaryLines(ii *imageInspection) []string {
	if ii.err != nil {
		return []string{"Could not inspect the image: " + ii.err.Error()}
	}
	out := []string{"Image inspected: " + importer.InspectionSummary(ii.in)}
	for _, k := range ii.in.Report.Kernels {
		if !k.Default {
			continue
		}
		v := map[string]string{"builtin": "built in", "module": "a module", "missing": "MISSING"}[k.VirtioBlk]
		if v == "" {
			v = "unknown"
		}
		out = append(out, fmt.Sprintf("Default kernel %s: virtio_blk %s", safetext.Escape(k.Version), v))
	}
	return out
}

// findingLines are the findings, blocking first, each with its fix; the
// marks are words too, for NO_COLOR and screen readers.
func findingLines(ii *imageInspection, plain bool) []string {
	if ii.err != nil {
		return nil
	}
	var out []string
	for _, f := range ii.in.Report.Findings {
		msg := safetext.Escape(f.Message)
		if f.Fix != "" {
			msg += " Fix: " + safetext.Escape(f.Fix)
		}
		switch {
		case plain:
			out = append(out, map[inspect.Severity]string{inspect.Block: "Blocks the import: ", inspect.Warn: "Warning: ", inspect.Info: "Note: "}[f.Severity]+msg)
		case f.Severity == inspect.Block && ii.overridden:
			out = append(out, errLine(msg+" (you chose to continue anyway)"))
		case f.Severity == inspect.Block:
			out = append(out, errLine(msg))
		case f.Severity == inspect.Warn:
			out = append(out, warnLine(msg))
		default:
			out = append(out, noteLine(msg))
		}
	}
	return out
}

// imageReportView is the inspection for the image step, cut to room lines
// so the choice under it stays on screen.
func imageReportView(ii *imageInspection, width, room int) string {
	var out []string
	for i, l := range imageSummaryLines(ii) {
		if i == 0 && ii.err == nil && len(ii.in.Report.Findings) == 0 {
			l = okLine(l)
		} else {
			l = labelStyle.Render(l)
		}
		out = append(out, strings.Split(wrapTo(l, width), "\n")...)
	}
	for _, l := range findingLines(ii, false) {
		out = append(out, strings.Split(wrapTo(l, width), "\n")...)
	}
	if room > 1 && len(out) > room {
		cut := len(out) - room + 1
		out = append(out[:room-1], faintStyle.Render(fmt.Sprintf("… %d more lines: `uimport inspect` shows the whole report", cut)))
	}
	return strings.Join(out, "\n")
}

// imageNote is what the later steps say about the inspection: the summary,
// blocking findings the user chose to go on despite, and an OS type
// changed since to another family than the image's.
func imageNote(st *wizardState) []string {
	ii := st.inspected()
	if ii == nil || ii.err != nil {
		return nil
	}
	out := []string{"Image inspected: " + shortSummary(ii.in.Report)}
	if ii.overridden {
		for _, f := range ii.blocking() {
			out = append(out, "continuing despite the inspection: "+safetext.Escape(f.Message))
		}
	}
	if m := lateMismatch(st); m != "" {
		out = append(out, m)
	}
	return out
}

// shortSummary is the OS, the partition table and the root, for the
// steps after the image's own.
func shortSummary(r *inspect.Report) string {
	os := "no OS found"
	if r.OS != nil {
		os = safetext.Escape(first(r.OS.PrettyName, r.OS.ID))
	}
	s := os + ", " + map[string]string{"mbr": "MBR", "gpt": "GPT", "none": "no partition table"}[r.PartitionTable]
	if r.Root != nil {
		s += ", root " + safetext.Escape(r.Root.FS)
	}
	return s
}

// imageNoteLines are imageNote marked for the full screen.
func imageNoteLines(st *wizardState) []string {
	var out []string
	for i, l := range imageNote(st) {
		switch {
		case i == 0:
			out = append(out, noteLine(l))
		case l == lateMismatch(st):
			out = append(out, errLine(l))
		default:
			out = append(out, warnLine(l))
		}
	}
	return out
}

// lateMismatch says when the OS type chosen after the inspection is of
// another family than the image's; "" when it is not.
func lateMismatch(st *wizardState) string {
	ii := st.inspected()
	if ii == nil || ii.err != nil || ii.in.Report.Suggested == nil {
		return ""
	}
	sg := ii.in.Report.Suggested
	have, want := inspect.OSTypeFamily(st.spec.OsType), inspect.OSTypeFamily(sg.OsType)
	if have == "" || want == "" || have == want {
		return ""
	}
	return fmt.Sprintf("OS type %s, but the image holds %s: the cloud would run the wrong set-up scripts (Esc back to Image details to change it).",
		st.spec.OsType, safetext.Escape(sg.OsType))
}
