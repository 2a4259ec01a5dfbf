package cli

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// stopSignals end a run the way Ctrl+C (SIGINT, which fang and the wizard
// handle) does: `kill` and a closed SSH session. An upload then stops, says
// how to resume, and keeps its state. The exit code is 128 + the signal's
// number (143 for SIGTERM, 129 for SIGHUP), as shells report it.
var stopSignals = []os.Signal{syscall.SIGTERM, syscall.SIGHUP}

// withStopSignals returns ctx cancelled when a stop signal arrives, the
// exit code that signal means (0 while none came), and a release function.
func withStopSignals(ctx context.Context) (context.Context, func() int, func()) {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	var code atomic.Int32
	go func() {
		select {
		case s := <-ch:
			if n, ok := s.(syscall.Signal); ok {
				code.Store(int32(128 + int(n)))
			}
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() int { return int(code.Load()) }, func() { signal.Stop(ch); cancel() }
}
