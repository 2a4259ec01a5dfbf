package flagvalue

import (
	"errors"
	"testing"
	"time"
)

func TestWaitTimeout(t *testing.T) {
	d := 3 * time.Hour
	v := WaitTimeout{&d}
	for _, bad := range []string{"0", "0s", "-5m", "soon", ""} {
		if err := v.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if d != 3*time.Hour {
		t.Errorf("a refused value changed the duration: %v", d)
	}
	if err := v.Set("45m"); err != nil || d != 45*time.Minute || v.String() != "45m0s" {
		t.Errorf("45m: %v, %v, %q", err, d, v.String())
	}
	if (WaitTimeout{}).String() != "" || v.Type() != "duration" {
		t.Error("String of the zero value or Type")
	}
}

func TestIsParseError(t *testing.T) {
	for _, msg := range []string{"unknown flag: --x", "accepts 1 arg(s), received 0", "flag needs an argument: --region"} {
		if !IsParseError(errors.New(msg)) {
			t.Errorf("%q not recognised", msg)
		}
	}
	if IsParseError(errors.New("no region for uimage-x: unknown flag")) {
		t.Error("a message merely containing the words counted")
	}
}
