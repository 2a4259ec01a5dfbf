#!/usr/bin/env bash
# Validates .goreleaser.yml with `goreleaser check`. Fast (no build, no
# network), so it runs with the tests. Exits 127 with install instructions
# when goreleaser is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/release-lib.sh
. scripts/release-lib.sh

need_goreleaser release-check
"$GORELEASER" check --config .goreleaser.yml
echo "release-check: .goreleaser.yml is valid"
