#!/usr/bin/env bash
# Builds a full local snapshot release into dist/ and checks it the way an
# admin would: every archive and package is there, checksums.txt verifies,
# the linux/amd64 binary runs and reports the injected version, archives carry
# the completions and man page, and the deb puts files where Debian expects.
#
#   scripts/release-snapshot.sh            build in this tree (needs one commit)
#   scripts/release-snapshot.sh --scratch  build in a throwaway copy under /tmp
#
# Nothing is published, signed or uploaded, and goreleaser never calls a forge
# API. Modules are fetched (if not already cached) before the build; the build
# itself runs with GOPROXY=off.
#
# goreleaser needs a git repository with at least one commit. When this tree
# has none (or with --scratch) the script copies the working tree (tracked and
# untracked, minus ignored files and build output) to a temporary directory,
# commits it there, and builds there; it never commits in this tree.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/release-lib.sh
. scripts/release-lib.sh

prog=release-snapshot
say() { printf '%s: %s\n' "$prog" "$*"; }
fail() {
	printf '%s: FAIL: %s\n' "$prog" "$*" >&2
	exit 1
}
ok() { printf '  ok  %s\n' "$*"; }

scratch=0
for arg in "$@"; do
	case "$arg" in
	--scratch) scratch=1 ;;
	-h | --help)
		sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) fail "unknown argument: $arg (try --help)" ;;
	esac
done

need_goreleaser "$prog"
start=$(date +%s)

say "goreleaser check"
"$GORELEASER" check --config .goreleaser.yml

# --- where to build ---------------------------------------------------------
workdir="$root"
if ! git -C "$root" rev-parse --verify -q HEAD >/dev/null 2>&1; then
	say "this tree has no git commit yet; building in a scratch copy instead"
	scratch=1
fi
if [ "$scratch" = 1 ]; then
	workdir="$(mktemp -d "${TMPDIR:-/tmp}/uimport-release.XXXXXX")"
	if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$root" ls-files -z --cached --others --exclude-standard |
			grep -zvE '^(dist|completions|manpages)/' |
			tar -C "$root" --null -T - -cf - | tar -C "$workdir" -xf -
	else
		tar -C "$root" --exclude=./dist --exclude=./completions --exclude=./manpages -cf - . |
			tar -C "$workdir" -xf -
	fi
	git -C "$workdir" init -q -b main
	git -C "$workdir" add -A
	git -C "$workdir" -c user.name=release-snapshot -c user.email=release-snapshot@localhost \
		-c commit.gpgsign=false commit -q -m "snapshot of the working tree"
	say "scratch copy: $workdir"
fi
cd "$workdir"

# goreleaser v2.15 throws away all git info (commit "none") when the repository
# has no remote. Give git one through the environment only -- nothing is written
# to any git config, and `git ls-remote --get-url` only reads it, never connects.
if [ -z "$(git remote)" ]; then
	export GIT_CONFIG_COUNT=1
	export GIT_CONFIG_KEY_0=remote.origin.url
	export GIT_CONFIG_VALUE_0=https://github.com/uimport/uimport.git
fi

# --- offline build ----------------------------------------------------------
say "go mod download (a no-op when the module cache is warm)"
go mod download

say "goreleaser release --snapshot --clean --skip=publish"
build_start=$(date +%s)
# No forge tokens: with release disabled and --snapshot, nothing needs them,
# and without them nothing can be pushed by accident.
env -u GITHUB_TOKEN -u GITLAB_TOKEN -u GITEA_TOKEN \
	GOPROXY=off GOTOOLCHAIN=local \
	"$GORELEASER" release --snapshot --clean --skip=publish --config .goreleaser.yml
build_secs=$(($(date +%s) - build_start))

# --- verify -----------------------------------------------------------------
say "verifying dist/"
dist="$workdir/dist"
[ -f "$dist/metadata.json" ] || fail "dist/metadata.json is missing"
version="$(tr -d '\n' <"$dist/metadata.json" | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')"
[ -n "$version" ] || fail "no version in dist/metadata.json"
ok "snapshot version $version"

# The six archives.
archives=()
for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64; do
	ext=tar.gz
	[ "${target%%_*}" = windows ] && ext=zip
	a="$dist/uimport_${version}_${target}.${ext}"
	[ -s "$a" ] || fail "archive missing: ${a#"$workdir"/}"
	archives+=("$a")
done
ok "6 archives (linux, darwin: tar.gz; windows: zip) for amd64 and arm64"

# The Linux packages.
for arch in amd64 arm64; do
	for fmt in deb rpm; do
		p="$dist/uimport_${version}_linux_${arch}.${fmt}"
		[ -s "$p" ] || fail "package missing: ${p#"$workdir"/}"
	done
done
deb="$dist/uimport_${version}_linux_amd64.deb"
rpm="$dist/uimport_${version}_linux_amd64.rpm"
ok "deb and rpm for amd64 and arm64"

# Checksums: every archive and package is listed, and every line verifies.
[ -s "$dist/checksums.txt" ] || fail "dist/checksums.txt is missing"
for f in "${archives[@]}" "$dist"/*.deb "$dist"/*.rpm; do
	grep -q "  $(basename "$f")\$" "$dist/checksums.txt" || fail "$(basename "$f") is not in checksums.txt"
done
(cd "$dist" && sha256sum --strict -c checksums.txt >/dev/null) || fail "sha256sum -c checksums.txt"
ok "checksums.txt lists all $(wc -l <"$dist/checksums.txt") artifacts and sha256sum -c passes"

# The linux/amd64 binary runs and carries the injected version and commit.
bin="$(ls -d "$dist"/uimport_linux_amd64*/uimport 2>/dev/null | head -n1)"
[ -x "$bin" ] || fail "no linux/amd64 binary under dist/"
out="$("$bin" version)" || fail "'uimport version' exited non-zero"
first="$(printf '%s\n' "$out" | head -n1)"
[ "$first" = "uimport $version" ] || fail "'uimport version' printed '$first', want 'uimport $version'"
commit="$(git rev-parse HEAD)"
printf '%s\n' "$out" | grep -q "^commit: $commit\$" || fail "'uimport version' does not show commit $commit"
printf '%s\n' "$out" | grep -q '^built:  unknown$' && fail "'uimport version' has no build date"
"$bin" --version | grep -qF "$version" || fail "'uimport --version' does not show $version"
ok "linux/amd64 binary: $(printf '%s' "$out" | head -n3 | paste -sd ' ')"
if command -v file >/dev/null 2>&1; then
	info="$(file -b "$bin")"
	case "$info" in *"statically linked"*) ;; *) fail "binary is not static: $info" ;; esac
	case "$info" in *", stripped"*) ;; *) fail "binary is not stripped: $info" ;; esac
	ok "binary is statically linked and stripped"
fi

# Archive contents.
want_in_archive=(LICENSE completions/uimport.bash completions/uimport.zsh completions/uimport.fish completions/uimport.ps1 manpages/uimport.1.gz)
[ -f README.md ] && want_in_archive+=(README.md)
list_archive() {
	case "$1" in
	*.zip)
		if command -v unzip >/dev/null 2>&1; then
			unzip -Z1 "$1"
		else
			python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
		fi
		;;
	*) tar -tzf "$1" ;;
	esac
}
for a in "${archives[@]}"; do
	name="$(basename "$a")"
	dir="${name%.tar.gz}"
	dir="${dir%.zip}"
	listing="$(list_archive "$a")"
	exe=uimport
	case "$name" in *windows*) exe=uimport.exe ;; esac
	for f in "$exe" "${want_in_archive[@]}"; do
		printf '%s\n' "$listing" | grep -qxF "$dir/$f" || fail "$name lacks $dir/$f"
	done
done
ok "every archive holds the binary, ${want_in_archive[*]}"
tar -xzOf "$dist/uimport_${version}_linux_amd64.tar.gz" "uimport_${version}_linux_amd64/manpages/uimport.1.gz" |
	gzip -dc | grep -q '^\.TH UIMPORT 1' || fail "man page in the linux/amd64 archive is not a uimport(1) page"
ok "man page in the archive is a gzipped uimport(1) page"

# Where the deb puts things.
want_in_pkg=(
	/usr/bin/uimport
	/usr/share/bash-completion/completions/uimport
	/usr/share/zsh/vendor-completions/_uimport
	/usr/share/fish/vendor_completions.d/uimport.fish
	/usr/share/man/man1/uimport.1.gz
	/usr/share/doc/uimport/copyright
)
if command -v dpkg-deb >/dev/null 2>&1; then
	listing="$(dpkg-deb -c "$deb")"
	for f in "${want_in_pkg[@]}"; do
		printf '%s\n' "$listing" | awk '{print $6}' | grep -qxF ".$f" || fail "the deb lacks $f"
	done
	printf '%s\n' "$listing" | awk '$6=="./usr/bin/uimport"{print $1}' | grep -qx -- '-rwxr-xr-x' ||
		fail "/usr/bin/uimport in the deb is not mode 0755"
	[ "$(dpkg-deb -f "$deb" Package)" = uimport ] || fail "deb Package is not uimport"
	[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "deb Architecture is not amd64"
	ok "deb ($(dpkg-deb -f "$deb" Version)) installs: ${want_in_pkg[*]}"
else
	say "dpkg-deb not found: skipped the deb layout check"
fi
if command -v rpm >/dev/null 2>&1; then
	rlist="$(rpm -qlp "$rpm" 2>/dev/null)"
	for f in /usr/bin/uimport /usr/share/bash-completion/completions/uimport \
		/usr/share/zsh/site-functions/_uimport /usr/share/fish/vendor_completions.d/uimport.fish \
		/usr/share/man/man1/uimport.1.gz; do
		printf '%s\n' "$rlist" | grep -qxF "$f" || fail "the rpm lacks $f"
	done
	ok "rpm layout"
fi

# --- report -----------------------------------------------------------------
size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN{printf "%.1f MiB", b/1048576}'; }
total_secs=$(($(date +%s) - start))
echo
say "all checks passed"
printf '  version                   %s\n' "$version"
printf '  linux/amd64 binary        %s bytes (%s, stripped: -s -w)\n' "$(size "$bin")" "$(mib "$(size "$bin")")"
printf '  linux/amd64 .tar.gz       %s bytes (%s)\n' "$(size "$dist/uimport_${version}_linux_amd64.tar.gz")" "$(mib "$(size "$dist/uimport_${version}_linux_amd64.tar.gz")")"
printf '  linux/amd64 .deb          %s bytes (%s)\n' "$(size "$deb")" "$(mib "$(size "$deb")")"
printf '  linux/amd64 .rpm          %s bytes (%s)\n' "$(size "$rpm")" "$(mib "$(size "$rpm")")"
printf '  goreleaser build          %ss\n' "$build_secs"
printf '  whole script              %ss\n' "$total_secs"
printf '  output                    %s\n' "$dist"
