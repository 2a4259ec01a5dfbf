#!/usr/bin/env bash
# bench/timeline-patch.sh DIR — instruments a SCRATCH COPY of the repo in DIR
# (vendored, so Bubble Tea and colorprofile can be instrumented too) with
# wall-clock marks on the start path. A binary built from it with
# `go build -mod=vendor` appends "unixns label" lines to $BENCH_MARKS when that
# is set; `harness marks FILE` turns them into a median timeline. Refuses to
# touch the real work tree.
set -euo pipefail
dir=${1:?usage: timeline-patch.sh SCRATCH_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(cd "$dir" && pwd)
if [ "$dir" = "$root" ] || [ -d "$dir/.git" ]; then
	echo "timeline-patch: $dir looks like a real work tree; give it a scratch copy" >&2
	exit 2
fi
cd "$dir"
# Only from the module cache: a benchmark never reaches beyond this machine.
GOPROXY=off go mod vendor || {
	echo "timeline-patch: go mod vendor needs modules missing from the module cache; run \`go mod download\` once, then the bench again" >&2
	exit 1
}

markfile() { # DIR PACKAGE
	cat >"$1/zz_bench_marks.go" <<GO
package $2

import (
	"fmt"
	"os"
	"time"
)

// benchMark appends a wall-clock mark to \$BENCH_MARKS (bench/timeline-patch.sh).
func benchMark(label string) {
	path := os.Getenv("BENCH_MARKS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	fmt.Fprintf(f, "%d %s\n", time.Now().UnixNano(), label)
	f.Close()
}
GO
}

tea=vendor/charm.land/bubbletea/v2
cp=vendor/github.com/charmbracelet/colorprofile
markfile . main
markfile "$tea" tea
markfile "$cp" colorprofile
markfile ui ui
markfile cli cli

# Each substitution is optional: a mark that no longer finds its line is left out.
perl -0pi -e 's/(func main\(\) \{\n)/$1\tbenchMark("main() entered (runtime and package inits done)")\n/' main.go
perl -0pi -e 's/(\tcmd := exec\.CommandContext\(context\.Background\(\), "tmux", "info"\)\n)/\tbenchMark("colorprofile: `tmux info` start")\n\tdefer benchMark("colorprofile: `tmux info` end")\n$1/' "$cp/env.go"
perl -0pi -e 's/(\tdemoBanner\(a\.IO\.Err\)\n)/\tbenchMark("cli: demo simulator started")\n$1\tbenchMark("cli: demo banner written")\n/' cli/session.go
perl -0pi -e 's/(\tw := newWizard\(ctx, opts\)\n)/\tbenchMark("ui.Run entered")\n$1\tbenchMark("ui: wizard model built")\n/' ui/run.go
perl -0pi -e 's/(\tif err := p\.initTerminal\(\); err != nil \{\n\t\treturn p\.initialModel, err\n\t\}\n)/\tbenchMark("tea: Run entered")\n$1\tbenchMark("tea: terminal in raw mode")\n/' "$tea/tea.go"
perl -0pi -e 's/(\tp\.renderer\.setColorProfile\(\*p\.profile\)\n)/\tbenchMark("tea: colour profile known")\n$1/' "$tea/tea.go"
perl -0pi -e 's/(\n\t\/\/ Start the renderer\.\n\tp\.startRenderer\(\)\n)/\n\tbenchMark("tea: input reader started")$1\tbenchMark("tea: renderer started, frame ticker armed")\n/' "$tea/tea.go"
perl -0pi -e 's/(\tinitCmd := model\.Init\(\)\n)/$1\tbenchMark("tea: model Init returned")\n/' "$tea/tea.go"
perl -0pi -e 's/(\t\/\/ Render the initial view\.\n\tp\.render\(model\)\n)/$1\tbenchMark("tea: first view in the frame buffer")\n/' "$tea/tea.go"
perl -0pi -e 's/(\t\t\tcase <-p\.ticker\.C:\n)/$1\t\t\t\tbenchMark("tea: first frame tick fired")\n/' "$tea/tea.go"
perl -0pi -e 's/(\t\t\t\t_ = p\.renderer\.flush\(false\)\n)/$1\t\t\t\tbenchMark("tea: first frame written to the terminal")\n/' "$tea/tea.go"
n=$(cat main.go "$cp/env.go" cli/session.go ui/run.go "$tea/tea.go" | grep -c 'benchMark("')
echo "timeline-patch: $n marks placed in $dir"
