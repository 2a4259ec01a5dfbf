package ui

import (
	"context"
	"errors"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Run runs the wizard on the terminal in opts and returns how it ended. The
// error is only for a wizard that could not run (no terminal, bad options);
// what happened to the import is in the Result.
func Run(ctx context.Context, opts Options) (Result, error) {
	if opts.Backend == nil {
		return Result{}, errors.New("ui: Options.Backend is required")
	}
	if opts.In == nil {
		opts.In = os.Stdin
	}
	if opts.Out == nil {
		opts.Out = os.Stderr
	}
	if opts.Accessible {
		return runPlain(ctx, opts)
	}
	// Cancelling on return abandons any request still in flight with the
	// process, instead of leaving it to finish after the user has left.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	w := newWizard(ctx, opts)
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(opts.In), tea.WithOutput(opts.Out),
		tea.WithFilter(sameSizeFilter()),
		// Frames go out on the renderer's tick only, so the first one waits
		// a whole tick: 8 ms at 120 fps instead of 17 ms at 60.
		tea.WithFPS(120)}
	if opts.IO != nil {
		// Detecting the profile runs `tmux info` inside tmux (~4 ms) to look
		// for true colour, which the 16-colour styles never use.
		if p, ok := opts.IO.TerminalProfile(); ok {
			progOpts = append(progOpts, tea.WithColorProfile(p))
		}
	}
	// The gate keeps keys typed ahead of a focus move for the next field.
	_, err := tea.NewProgram(newFocusGate(w), progOpts...).Run()
	res := w.result()
	// An upload still running stops here; waiting for it lets it record
	// its finished parts, so running again resumes from them.
	w.st.stopUpload(5 * time.Second)
	switch {
	case errors.Is(err, tea.ErrInterrupted), ctx.Err() != nil:
		// SIGINT, or the caller's context ended (SIGTERM, SIGHUP): the
		// same as Ctrl+C, even when Bubble Tea's own SIGTERM handler
		// quit the program first.
		res.Interrupted, res.Cancelled = true, false
	case err != nil:
		return res, err
	}
	return res, nil
}

// sameSizeFilter drops window sizes that did not change. huh forms ask for
// the size whenever a step starts, and the renderer answers every size with
// a full repaint: a whole screen of output for nothing.
func sameSizeFilter() func(tea.Model, tea.Msg) tea.Msg {
	var last tea.WindowSizeMsg
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		if size, ok := msg.(tea.WindowSizeMsg); ok {
			if size == last {
				return nil
			}
			last = size
		}
		return msg
	}
}
