package report

import (
	"strings"
	"testing"

	"github.com/uimport/uimport/apiclient"
)

func TestImageEscapesTheServersText(t *testing.T) {
	var b strings.Builder
	Image(&b, apiclient.Image{ImageId: "uimage-1", ImageName: "web\x1b]0;PWNED\x07\ninjected", State: "Available", OsName: "x\u202ey", OsType: "Other"})
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07\u202e") || strings.Count(out, "\n") != 6 {
		t.Fatalf("raw control text reached the output:\n%q", out)
	}
}
