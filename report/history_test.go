package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/apiclient"
	"github.com/uimport/uimport/journal"
)

// A copy's row shows the region it lives in and its source; an import's,
// its own region; the simulator's are marked; a copy's name is escaped.
func TestHistoryRows(t *testing.T) {
	sent := time.Date(2026, 11, 29, 10, 0, 0, 0, time.Local)
	var out bytes.Buffer
	err := historyTable(&out, []journal.Entry{
		{SentAt: sent, Answered: true, ImageID: "uimage-a", State: "Available",
			Params: map[string]string{"ImageName": "web", "Region": "cn-bj2"}},
		{SentAt: sent, Answered: true, ImageID: "uimage-b", Demo: true,
			Params: map[string]string{"Action": apiclient.ActionCopyCustomImage, "Region": "cn-bj2",
				"SourceImageId": "uimage-a", "TargetRegion": "hk", "TargetImageName": "web\x1b[2J"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SENT") {
		t.Fatalf("table:\n%s", out.String())
	}
	for _, want := range []string{"2026-11-29 10:00:00", "uimage-a", "web", "cn-bj2", "Available"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("import row lacks %q: %q", want, lines[1])
		}
	}
	for _, want := range []string{"uimage-b", `web\x1b[2J (copy of uimage-a from cn-bj2) (demo)`, " hk ", "submitted"} {
		if !strings.Contains(lines[2], want) {
			t.Errorf("copy row lacks %q: %q", want, lines[2])
		}
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("unescaped: %q", out.String())
	}
}
