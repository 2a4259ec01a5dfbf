package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/uimport/uimport/iostreams"
	"github.com/uimport/uimport/upload"
)

func TestDescribeProgress(t *testing.T) {
	p := upload.Progress{Phase: upload.PhaseUploading, Done: 8 << 20, InFlight: 2 << 20, Total: 40 << 20,
		PartsDone: 2, PartsTotal: 10, Rate: 5 << 20, ETA: 6*time.Second + 300*time.Millisecond}
	if got, want := DescribeProgress(p, false), " 25% 10 MiB / 40 MiB · 5 MiB/s · ETA 6s · parts 2/10"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got, want := DescribeProgress(p, true), " 25% · 5 MiB/s · ETA 6s · parts 2/10"; got != want {
		t.Errorf("compact: got %q, want %q", got, want)
	}
	// A converted upload says both sides: what is sent, and the disk.
	conv := p
	conv.DiskSize, conv.DataBytes = 20<<30, 38<<20
	if got, want := DescribeProgress(conv, false), " 25% 10 MiB sent of 20 GiB disk (38 MiB of data) · 5 MiB/s · ETA 6s · parts 2/10"; got != want {
		t.Errorf("converted: got %q\nwant %q", got, want)
	}
	p.Phase = upload.PhaseFinishing
	if got := DescribeProgress(p, false); !strings.Contains(got, "assembling 10 parts") {
		t.Errorf("finishing: %q", got)
	}
}

// Without a terminal: a line at each phase change, else one per
// plainEvery, each timestamped; nothing for PhaseDone.
func TestPlainProgressLines(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	pv := NewUploadProgress(iostreams.Test(nil, nil, &buf), func() time.Time { return now }, "disk.qcow2")
	p := upload.Progress{Phase: upload.PhaseUploading, Total: 100 << 20, PartsTotal: 25}
	for range 40 { // 10 s of 250 ms updates
		pv.Update(p)
		now = now.Add(BarEvery)
		p.Done += 1 << 20
	}
	pv.Update(upload.Progress{Phase: upload.PhaseFinishing, Total: 100 << 20, PartsTotal: 25})
	pv.Update(upload.Progress{Phase: upload.PhaseDone})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "10:00:00 upload disk.qcow2:") || !strings.Contains(lines[2], "assembling") {
		t.Errorf("lines:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "\r") || strings.Contains(buf.String(), "\x1b") {
		t.Errorf("plain output has terminal controls: %q", buf.String())
	}
}
