package importer

import (
	"testing"

	"github.com/uimport/uimport/imagecopy"
)

func TestRepeatFlags(t *testing.T) {
	if SkipCheckFlag(true) != " --skip-check" || SkipCheckFlag(false) != "" {
		t.Error("SkipCheckFlag")
	}
	if got := CopyRepeatFlags([]imagecopy.Result{{Region: "hk"}, {Region: "sg"}}); got != " --wait --copy-to hk,sg" || CopyRepeatFlags(nil) != "" {
		t.Errorf("CopyRepeatFlags: %q", got)
	}
}
