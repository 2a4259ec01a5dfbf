#!/usr/bin/env bash
# Installs what the test suite needs beyond Go, if it is missing:
#   tmux                 the binary-level tests type into a real terminal
#   dbus, gnome-keyring  a throwaway Secret Service for the real keyring test
#   goreleaser v2.15.1   `goreleaser check` of .goreleaser.yml
#   disk tools           the image-inspection tests build real images at test time:
#                        qemu-img, mke2fs, mkfs.xfs, mkfs.vfat, mkfs.btrfs, mkntfs,
#                        sfdisk, sgdisk, lvm, cpio, zstd, xz, lz4, bzip2
# Debian/Ubuntu only (apt-get); uses sudo when not root. Safe to run twice.
set -euo pipefail

missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v dbus-run-session >/dev/null || missing+=(dbus)
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
# command → Debian package, for the disk-image fixtures
while read -r cmd pkg; do
	command -v "$cmd" >/dev/null || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null || missing+=("$pkg")
done <<'TOOLS'
qemu-img qemu-utils
mke2fs e2fsprogs
mkfs.xfs xfsprogs
sfdisk fdisk
sgdisk gdisk
mkfs.vfat dosfstools
mcopy mtools
lvm lvm2
cpio cpio
zstd zstd
xz xz-utils
lz4 lz4
bzip2 bzip2
mkfs.btrfs btrfs-progs
mkntfs ntfs-3g
strace strace
TOOLS

if ((${#missing[@]})); then
	if ! command -v apt-get >/dev/null; then
		echo "test-deps: please install: ${missing[*]}" >&2
		exit 1
	fi
	sudo=""
	[[ $(id -u) -eq 0 ]] || sudo="sudo"
	echo "test-deps: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	# --no-install-recommends: dbus-x11 would make godbus try to autolaunch a bus.
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

gobin="$(go env GOPATH)/bin"
if ! command -v goreleaser >/dev/null && [[ ! -x $gobin/goreleaser ]]; then
	echo "test-deps: installing goreleaser v2.15.1 (a few minutes the first time)" >&2
	go install github.com/goreleaser/goreleaser/v2@v2.15.1
fi
