#!/usr/bin/env bash
# Generates the files a release ships beside the binary: shell completions in
# completions/ (bash, zsh, fish, and PowerShell for Windows) and a gzipped man
# page in manpages/. goreleaser runs this as a
# before hook (see .goreleaser.yml); it is safe to run by hand from anywhere.
#
# The host build of uimport writes them, so they always match the commands in
# the tree being released. Nothing here touches the network beyond what
# `go build` itself needs to have the modules in the cache.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# One host build instead of four `go run`s; CGO off like the release builds.
CGO_ENABLED=0 go build -trimpath -o "$tmp/uimport" .

rm -rf completions manpages
mkdir -p completions manpages

for sh in bash zsh fish powershell; do
	out="completions/uimport.$sh"
	[ "$sh" = powershell ] && out=completions/uimport.ps1
	"$tmp/uimport" completion "$sh" >"$out"
	if [ ! -s "$out" ]; then
		echo "release-gen: 'uimport completion $sh' printed nothing" >&2
		exit 1
	fi
done

# -n: no name or timestamp in the gzip header, so the same page gives the same bytes.
"$tmp/uimport" man | gzip -9 -n >manpages/uimport.1.gz
if ! gzip -dc manpages/uimport.1.gz | grep -q '^\.TH '; then
	echo "release-gen: 'uimport man' did not print a man page" >&2
	exit 1
fi

echo "release-gen: wrote completions/uimport.{bash,zsh,fish,ps1} and manpages/uimport.1.gz"
