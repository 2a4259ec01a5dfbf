package iostreams

import (
	"strings"
	"testing"
)

const hostile = "\x1b]0;PWNED\x07evil\rinjected"

// Text from outside is shown escaped in every one-line mark and in error
// reports: no raw control character survives, and what was there is
// visible.
func TestLinesEscapeUntrustedText(t *testing.T) {
	outs := map[string]string{
		"OKLine": OKLine(hostile), "WarnLine": WarnLine(hostile), "ErrLine": ErrLine(hostile), "NoteLine": NoteLine(hostile),
	}
	for i, l := range ErrorLines("Error:", ErrorReport{Message: hostile, Means: hostile, ToDo: hostile}, 0) {
		outs["ErrorLines"+string(rune('0'+i))] = l
	}
	for name, out := range outs {
		if strings.ContainsAny(out, "\x07\r") || strings.Contains(out, "\x1b]0;") {
			t.Errorf("%s = %q: raw control characters", name, out)
		}
		if !strings.Contains(out, `\x1b]0;PWNED\x07evil\rinjected`) {
			t.Errorf("%s = %q: the text is not shown escaped", name, out)
		}
	}
}
