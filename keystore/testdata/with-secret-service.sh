#!/usr/bin/env bash
# Runs a command with a real but throwaway Secret Service, so the keystore
# test that talks to one can run on a headless machine or in CI:
#
#   keystore/testdata/with-secret-service.sh go test -race ./keystore -run SecretService
#
# Debian/Ubuntu packages (nothing else is needed; dbus-x11 and a desktop are not):
#   apt-get install -y --no-install-recommends dbus gnome-keyring
#     dbus           dbus-run-session and dbus-send
#     gnome-keyring  gnome-keyring-daemon, the Secret Service
#
# The recipe, and why each step is there:
# - dbus-run-session gives the command a private session bus. Nothing reaches
#   a desktop session, and the keyring daemon exits when the bus does.
# - `gnome-keyring-daemon --unlock` reads a password on stdin and creates the
#   "login" collection with it, unlocked. Without that step there is no
#   default collection and go-keyring fails with "failed to unlock correct
#   collection '/org/freedesktop/secrets/aliases/default'": gnome-keyring
#   would want to prompt for a new keyring, and there is no display.
# - XDG_DATA_HOME and XDG_RUNTIME_DIR point into a temporary directory, so the
#   keyring starts empty every run (an existing login.keyring with another
#   password would stay locked) and the user's own keyrings are never opened.
#   Go and the tests do not read these two variables.
# - The command starts only once the daemon owns org.freedesktop.secrets on
#   the bus; otherwise D-Bus activation could start a second daemon that has
#   no unlocked collection.
# - Whatever variables the daemon prints (GNOME_KEYRING_CONTROL and the like,
#   depending on the setup) are exported, and UIMPORT_TEST_SECRET_SERVICE=1
#   switches the real test on.
set -euo pipefail

if [[ $# -eq 0 ]]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
	if ! command -v "$tool" >/dev/null; then
		echo "$0: $tool not found; install: apt-get install -y --no-install-recommends dbus gnome-keyring" >&2
		exit 127
	fi
done

UIMPORT_KEYRING_TMP=$(mktemp -d)
trap 'rm -rf "$UIMPORT_KEYRING_TMP"' EXIT
export UIMPORT_KEYRING_TMP

# shellcheck disable=SC2016 # expanded by the inner shell
dbus-run-session -- bash -c '
	set -euo pipefail
	export XDG_DATA_HOME="$UIMPORT_KEYRING_TMP/data" XDG_RUNTIME_DIR="$UIMPORT_KEYRING_TMP/run"
	mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"

	out=$(echo -n pw | gnome-keyring-daemon --unlock --components=secrets)
	while IFS= read -r line; do
		if [[ $line == [A-Za-z_]*=* ]]; then
			export "${line?}"
		fi
	done <<<"$out"

	owned=false
	for _ in $(seq 50); do
		if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
			owned=true
			break
		fi
		sleep 0.1
	done
	if [[ $owned != true ]]; then
		echo "with-secret-service: gnome-keyring-daemon did not claim org.freedesktop.secrets within 5s" >&2
		exit 1
	fi

	export UIMPORT_TEST_SECRET_SERVICE=1
	"$@"
' with-secret-service "$@"
