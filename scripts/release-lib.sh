# Sourced by scripts/release-check.sh and scripts/release-snapshot.sh.

# The goreleaser version .goreleaser.yml is written for; newer ones need a newer Go.
GORELEASER_VERSION="${GORELEASER_VERSION:-v2.15.1}"

# find_goreleaser prints the path of goreleaser: $GORELEASER if set, else the one
# on PATH, else the one `go install` put in GOBIN or GOPATH/bin.
find_goreleaser() {
	if [ -n "${GORELEASER:-}" ] && [ -x "$GORELEASER" ]; then
		echo "$GORELEASER"
		return
	fi
	if command -v goreleaser >/dev/null 2>&1; then
		command -v goreleaser
		return
	fi
	local gobin
	gobin="$(go env GOBIN 2>/dev/null || true)"
	[ -n "$gobin" ] || gobin="$(go env GOPATH 2>/dev/null || true)/bin"
	if [ -x "$gobin/goreleaser" ]; then
		echo "$gobin/goreleaser"
		return
	fi
	return 1
}

# need_goreleaser sets GORELEASER or exits 127 saying how to install it.
need_goreleaser() {
	local prog="$1"
	if ! GORELEASER="$(find_goreleaser)"; then
		cat >&2 <<MSG
$prog: goreleaser is not installed (not on PATH, nor in \$(go env GOPATH)/bin).
Install it as a Go module (it takes a few minutes to build):
    go install github.com/goreleaser/goreleaser/v2@${GORELEASER_VERSION}
MSG
		exit 127
	fi
}
