package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/uimport/uimport/imageformat"
	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/iostreams"
)

// Inspection is `uimport inspect`'s report on stdout, for a person:
// what the image is, then the findings grouped block, warn, info, each
// with its fix, then the verdict. Every string from the image is escaped.
func Inspection(ios *iostreams.IOStreams, in importer.Inspection) {
	w := ios.ColorOut()
	r := in.Report
	// Labels are padded before they are styled: a tabwriter would count
	// the style's escape codes as width.
	row := func(label, value string) {
		fmt.Fprintf(w, "%s  %s\n", iostreams.LabelStyle.Render(fmt.Sprintf("%-10s", label)), value)
	}
	image := esc(OrUnknown(r.Format))
	if r.VirtualSize > 0 {
		image += ", " + imageformat.HumanSize(r.VirtualSize) + " virtual"
	}
	if in.Remote != nil {
		image += " (" + importer.RemoteSummary(in.Remote) + ")"
	}
	row("Image", esc(in.Source))
	row("Format", image)
	row("OS", osLine(r.OS))
	row("Partitions", tableName(r.PartitionTable))
	for _, p := range r.Partitions {
		row("", "  "+partitionLine(p))
	}
	root := "not found"
	if r.Root != nil {
		root = esc(OrUnknown(r.Root.FS)) + " on " + esc(r.Root.Device)
	}
	row("Root", root)
	if len(r.Kernels) == 0 {
		row("Kernels", "none found")
	}
	for i, k := range r.Kernels {
		row(map[bool]string{true: "Kernels"}[i == 0], kernelLine(k))
	}
	sug := "nothing identified: choose them yourself"
	if sg := r.Suggested; sg != nil {
		sug = "--os-type " + esc(sg.OsType) + importer.SuggestedNameFlag(sg)
		if sg.OsName == "" {
			sug += " (pick the OS name yourself)"
		}
	}
	row("Suggested", sug)
	writeFindings(w, r.Findings, ios.TerminalWidth())
	fmt.Fprintln(w)
	fmt.Fprintln(w, verdict(r))
}

func tableName(t string) string {
	switch t {
	case "mbr":
		return "MBR"
	case "gpt":
		return "GPT"
	}
	return "none (a bare file system)"
}

func osLine(o *inspect.OS) string {
	if o == nil {
		return "not identified"
	}
	s := esc(importer.First(o.PrettyName, strings.TrimSpace(o.ID+" "+o.VersionID), o.ID))
	if o.Arch != "" {
		s += ", " + esc(o.Arch)
	}
	return s
}

func partitionLine(p inspect.Partition) string {
	parts := []string{esc(p.Device), imageformat.HumanSize(p.Size)}
	if p.FS != "" {
		parts = append(parts, esc(p.FS))
	} else if p.TypeName != "" {
		parts = append(parts, esc(p.TypeName))
	}
	if p.Mountpoint != "" {
		parts = append(parts, "mounted on "+esc(p.Mountpoint))
	}
	if p.Bootable {
		parts = append(parts, "bootable")
	}
	if p.Logical {
		parts = append(parts, "logical")
	}
	if p.VolumeGroup != "" {
		parts = append(parts, "LVM group "+esc(p.VolumeGroup))
	}
	return strings.Join(parts, "  ")
}

func kernelLine(k inspect.Kernel) string {
	s := esc(k.Version)
	if k.Default {
		s += " (default)"
	}
	switch k.VirtioBlk {
	case "builtin":
		s += ": virtio_blk built in"
	case "module":
		s += ": virtio_blk a module"
		if k.VirtioInInitramfs != nil {
			s += map[bool]string{true: ", in the initramfs", false: ", NOT in the initramfs"}[*k.VirtioInInitramfs]
		}
	case "missing":
		s += ": NO virtio_blk"
	default:
		s += ": virtio_blk unknown"
	}
	return s
}

// findingGroups are the severities in the order they are shown.
var findingGroups = []struct {
	sev   inspect.Severity
	title string
	mark  func(string) string
}{
	{inspect.Block, "Blocks the import", func(s string) string { return iostreams.ErrStyle.Render("✗ " + s) }},
	{inspect.Warn, "Warnings", func(s string) string { return iostreams.WarnStyle.Render("! " + s) }},
	{inspect.Info, "Good to know", func(s string) string { return iostreams.FaintStyle.Render("· " + s) }},
}

// writeFindings prints each group with its findings and their fixes.
// Messages are wrapped at spaces to the terminal's width; fixes are not,
// so a command in one can be copied whole.
func writeFindings(w io.Writer, fs []inspect.Finding, width int) {
	for _, g := range findingGroups {
		var in []inspect.Finding
		for _, f := range fs {
			if f.Severity == g.sev {
				in = append(in, f)
			}
		}
		if len(in) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", iostreams.TitleStyle.Render(fmt.Sprintf("%s (%d)", g.title, len(in))))
		for _, f := range in {
			head := esc(f.ID) + ":"
			fmt.Fprintf(w, "  %s %s\n", g.mark(head), wrapWords(esc(f.Message), width-5-len(head), width-4, "    "))
			if f.Fix != "" {
				fmt.Fprintf(w, "    %s %s\n", iostreams.LabelStyle.Render("Fix:"), esc(f.Fix))
			}
		}
	}
}

// wrapWords breaks s at spaces: first lines of at most first cells, the
// rest of at most rest, each after indent. A word longer than a line
// stays whole.
func wrapWords(s string, first, rest int, indent string) string {
	var b strings.Builder
	limit, col := max(first, 20), 0
	for i, word := range strings.Fields(s) {
		wl := ansi.StringWidth(word)
		if i > 0 && col+1+wl > limit {
			b.WriteString("\n" + indent)
			limit, col = max(rest, 20), 0
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += wl
	}
	return b.String()
}

// verdict is the last line: whether the image can be imported as it is.
func verdict(r *inspect.Report) string {
	n := len(r.Blocking())
	switch {
	case n == 1:
		return iostreams.ErrLine("1 finding blocks the import: fix it first (an import with --skip-check would go on anyway).")
	case n > 1:
		return iostreams.ErrLine(fmt.Sprintf("%d findings block the import: fix them first (an import with --skip-check would go on anyway).", n))
	case len(r.Findings) > 0:
		return iostreams.OKLine("Nothing blocks the import; read the notes above.")
	}
	return iostreams.OKLine("Nothing to fix: the image can be imported as it is.")
}
