package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/uimport/uimport/importer"
	"github.com/uimport/uimport/inspect"
	"github.com/uimport/uimport/iostreams"
)

// Text from the image never reaches the terminal raw: escape sequences
// in any field come out as visible escapes.
func TestInspectionEscapes(t *testing.T) {
	var out bytes.Buffer
	evil := "\x1b]0;owned\x07\x1b[2J\u202e"
	tru := true
	rep := &inspect.Report{
		Format: "qcow2" + evil, PartitionTable: "mbr",
		Partitions: []inspect.Partition{{Device: "/dev/vda1" + evil, FS: "ext4" + evil, Mountpoint: "/" + evil, VolumeGroup: evil}},
		Root:       &inspect.Root{FS: evil, Device: evil},
		OS:         &inspect.OS{ID: "x", PrettyName: "Evil" + evil, Arch: evil},
		Kernels:    []inspect.Kernel{{Version: "6.1" + evil, VirtioBlk: "module", VirtioInInitramfs: &tru, Default: true}},
		Suggested:  &inspect.Suggestion{OsType: "Other" + evil, OsName: "Evil" + evil},
		Findings:   []inspect.Finding{{ID: "x" + evil, Severity: inspect.Warn, Message: "m" + evil, Fix: "f" + evil}},
	}
	Inspection(iostreams.Test(nil, &out, &bytes.Buffer{}), importer.Inspection{Source: "disk" + evil, Report: rep})
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07\u202e") || !strings.Contains(got, `\x1b]0;owned`) {
		t.Errorf("unescaped output: %q", got)
	}
}
