#!/usr/bin/env bash
# bench/whatif-patch.sh DIR — applies the start-path and redraw changes that
# BENCHMARKS.md recommends to a SCRATCH COPY of the repo in DIR, so run.sh can
# measure what they would give before anyone changes ui/ or cli/. It refuses
# to touch the real work tree.
#
#  1. ui/run.go: tea.WithFPS(120) — the v2 renderer writes a frame only on its
#     tick, so the first frame waits one tick: 8.3 ms instead of 16.7 ms.
#  2. ui/run.go: tea.WithColorProfile(colorprofile.Env(...)) on a terminal —
#     colorprofile.Detect runs `tmux info` (a subprocess, ~4-5 ms) inside tmux
#     to look for true colour, which the 16-colour styles never use.
#  3. ui/run.go: tea.WithFilter dropping a WindowSizeMsg that repeats the size
#     in force — each huh form asks for the size (tea.RequestWindowSize) when it
#     starts, and the renderer answers every WindowSizeMsg by erasing and
#     repainting the whole screen (~1 KB), half a second into each step.
#  4. cli/print.go: lipgloss.Fprintln → a helper that takes stderr's profile
#     from the environment on a terminal: lipgloss.Fprintln calls
#     colorprofile.Detect per line, i.e. one `tmux info` per message (the demo
#     banner is one, before the first frame).
#  5. ui/step_details.go: the OS name field (its value holds "64位", a
#     double-width character) moves off the page with the image-name field:
#     the renderer repaints every line holding a wide character on every frame
#     (ultraviolet issue #163), ~100 B per typed key.
set -euo pipefail
dir=${1:?usage: whatif-patch.sh SCRATCH_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(cd "$dir" && pwd)
if [ "$dir" = "$root" ] || [ -d "$dir/.git" ]; then
	echo "whatif-patch: $dir looks like a real work tree; give it a scratch copy" >&2
	exit 2
fi
cd "$dir"

# 1-3: ui/run.go — each option only if the tree does not set it already.
opts=()
grep -q 'tea.WithFPS(' ui/run.go || opts+=(fps)
grep -q 'tea.WithColorProfile(' ui/run.go || opts+=(profile)
grep -q 'tea.WithFilter(' ui/run.go || opts+=(filter)
if ((${#opts[@]})); then
	perl -0pi -e 's/tea\.NewProgram\(w, (.*?)\)\.Run\(\)/tea.NewProgram(w, append(programOptions(opts.Out), $1)...).Run()/s' ui/run.go
	grep -q 'programOptions(opts.Out)' ui/run.go
	perl -0pi -e 's/(\n\t"os"\n)/\n\t"io"$1/; s/(\ttea "charm.land\/bubbletea\/v2"\n)/$1\t"github.com\/charmbracelet\/colorprofile"\n\t"github.com\/charmbracelet\/x\/term"\n/' ui/run.go
	{
		echo
		echo '// programOptions get the first frame out sooner and keep redraws small.'
		echo 'func programOptions(out io.Writer) []tea.ProgramOption {'
		echo '	var o []tea.ProgramOption'
		for opt in "${opts[@]}"; do
			case $opt in
			fps) cat <<'GO' ;;
	// Frames are written on the renderer's tick only, so the first one
	// waits a whole tick: 8.3 ms at 120 fps instead of 16.7 ms at 60.
	o = append(o, tea.WithFPS(120))
GO
			filter) echo '	o = append(o, tea.WithFilter(dropRepeatedSize()))' ;;
			profile) cat <<'GO' ;;
	if f, ok := out.(term.File); ok && term.IsTerminal(f.Fd()) {
		// colorprofile.Detect runs `tmux info` inside tmux to look for true
		// colour; the styles use the 16 ANSI colours, so the environment
		// (TERM, NO_COLOR, CLICOLOR…) says all that matters.
		o = append(o, tea.WithColorProfile(colorprofile.Env(os.Environ())))
	}
GO
			esac
		done
		echo '	_ = out'
		echo '	return o'
		echo '}'
		if [[ " ${opts[*]} " == *" filter "* ]]; then cat <<'GO'

// dropRepeatedSize drops a WindowSizeMsg that repeats the size in force:
// every huh form asks for the size when it starts, and the renderer answers
// each WindowSizeMsg by erasing and repainting the whole screen.
func dropRepeatedSize() func(tea.Model, tea.Msg) tea.Msg {
	var last tea.WindowSizeMsg
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		if s, ok := msg.(tea.WindowSizeMsg); ok {
			if s == last {
				return nil
			}
			last = s
		}
		return msg
	}
}
GO
		fi
	} >>ui/run.go
	# Drop imports that the options above did not need.
	[[ " ${opts[*]} " == *" profile "* ]] || perl -0pi -e 's/\t"github.com\/charmbracelet\/colorprofile"\n\t"github.com\/charmbracelet\/x\/term"\n//' ui/run.go
fi
echo "whatif-patch: ui/run.go: added ${opts[*]:-nothing (already there)}"

# 4: cli/print.go
if grep -q 'lipgloss\.Fprintln(w, ' cli/print.go; then
perl -pi -e 's/\blipgloss\.Fprintln\(w, /fprintln(w, /g' cli/print.go
perl -0pi -e 's/import \(\n/import (\n\t"os"\n\t"github.com\/charmbracelet\/colorprofile"\n\t"github.com\/charmbracelet\/x\/term"\n/' cli/print.go
cat >>cli/print.go <<'GO'

// fprintln is lipgloss.Fprintln without colorprofile.Detect's `tmux info`
// subprocess on a terminal; elsewhere Detect runs no probe.
func fprintln(w io.Writer, s string) {
	var p colorprofile.Profile
	if f, ok := w.(term.File); ok && term.IsTerminal(f.Fd()) {
		p = colorprofile.Env(os.Environ())
	} else {
		p = colorprofile.Detect(w, os.Environ())
	}
	fmt.Fprintln(&colorprofile.Writer{Forward: w, Profile: p}, s)
}
GO
echo "whatif-patch: cli/print.go: lipgloss.Fprintln replaced"
fi

# 5: ui/step_details.go — osName from the first page to the head of the second.
if perl -0ne 'exit(/about = \[\]huh\.Field\{.*?\n\t\tosName,\n\t\}/s ? 0 : 1)' ui/step_details.go; then
	perl -0pi -e 's/\n\t\tosName,\n/\n/; s/(storage = \[\]huh\.Field\{\n)/$1\t\tosName,\n/' ui/step_details.go
	grep -q '^		osName,$' ui/step_details.go
	echo "whatif-patch: ui/step_details.go: OS name moved to the second page"
else
	echo "whatif-patch: ui/step_details.go: OS name is not on the image-name page (left alone)"
fi

gofmt -w ui/run.go cli/print.go ui/step_details.go
echo "whatif-patch: applied to $dir"
