package e2e

import (
	"syscall"
	"testing"
	"time"

	"github.com/uimport/uimport/demoapi"
)

// SIGTERM (kill) and SIGHUP (a closed SSH session) during an upload end it
// as Ctrl+C does: a line saying how to resume, the state kept, and the
// exit code a shell gives for the signal (143, 129).
func TestUploadStoppedBySignalSaysHowToResume(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			api := startTLSAPI(t)
			file := randomFile(t, "disk.raw", 12*mib) // 3 parts
			api.SetUploadFault(demoapi.UploadFault{Op: demoapi.OpPart, Parts: []int{1, 2}, BytesPerSecond: 1 << 20})
			p := startBin(t, runOpts{Env: api.env(), Home: t.TempDir()}, uploadArgs(api, file, "--skip-check", "--parallel", "1")...)
			waitFor(t, 15*time.Second, "part 0 stored", func() bool {
				ids := api.uploadIDs()
				return len(ids) > 0 && api.PartsStored(ids[0])[0] > 0
			})
			r := p.stop(t, tc.sig)
			wantCode(t, r, tc.code)
			wantIn(t, "stderr", r.Stderr, "Interrupted", "Run the same command again to resume")
			noNoise(t, r)
		})
	}
}
