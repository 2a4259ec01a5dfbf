#!/usr/bin/env bash
# bench/run.sh — uimport's benchmarks (issue 6); `make bench` runs it.
#
# Measures the stripped binary as a person over SSH feels it: time to the
# first frame in a real terminal emulator (tmux, 80×24), bytes written per
# typed key and per whole wizard session, `uimport version` wall time, binary
# size, peak RSS, the non-interactive import, the Go signing benchmarks, and a
# profile of the start path. Prints a table of each figure against its goal;
# everything it measured stays in $BENCH_OUT (default /tmp/uimport-bench).
#
# Knobs (environment): BENCH_RUNS (first-frame runs per case, default 15),
# BENCH_SESSIONS (whole wizard sessions, default 3), BENCH_CHARS (keys typed,
# default 20), BENCH_WHATIF=1 measures bench/whatif-patch.sh (now applied),
# BENCH_TIMELINE=0 skips the instrumented scratch build,
# BENCH_UPLOAD_MB (upload file size, default 512), BENCH_UPLOAD_RUNS
# (rounds of curl and uimport, default 5), BENCH_ONLY=upload runs only the
# upload section (under a minute) and the table. BENCH_ONLY=inspect runs
# only the image inspection (issue 12; BENCH_INSPECT_RUNS, default 5;
# BENCH_VIRT_INSPECTOR=0 skips virt-inspector) and the table.
# BENCH_ONLY=convert runs only bench/convert.sh (issue 13: RAW to qcow2 on
# the way, .raw.xz; its own knobs are in that script) and prints its table.
# Installs tmux, hyperfine, time, strace and curl with apt when missing.
# Takes 2-4 minutes on 2 cores (more if it has to wait for other work to settle),
# plus ~5 for image inspection and 2-5 per image for virt-inspector under TCG.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-/tmp/uimport-bench}
RUNS=${BENCH_RUNS:-15}
SESSIONS=${BENCH_SESSIONS:-3}
CHARS=${BENCH_CHARS:-20}
WHATIF=${BENCH_WHATIF:-0}
TIMELINE=${BENCH_TIMELINE:-1}
export BENCH_TMUX_SOCKET="uimport-bench-$$" # a private tmux server, killed at the end

say() { printf '\n\033[1m== %s\033[m\n' "$*"; }
note() { printf '   %s\n' "$*"; }

# ------------------------------------------------------------------ tools

install_tools() {
	local need=()
	command -v tmux >/dev/null || need+=(tmux)
	command -v hyperfine >/dev/null || need+=(hyperfine)
	[ -x /usr/bin/time ] || need+=(time)
	command -v strace >/dev/null || need+=(strace)
	command -v curl >/dev/null || need+=(curl)
	command -v perl >/dev/null || need+=(perl)
	if ((${#need[@]})); then
		say "installing ${need[*]}"
		local sudo=
		[ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	fi
	command -v go >/dev/null || {
		echo "bench: go is not on PATH" >&2
		exit 1
	}
}

# go_build DIR OUTPUT [ARGS...]: the tree may be mid-edit by someone else;
# wait for it to compile again, up to 2 minutes.
go_build() {
	local dir=$1 out=$2
	shift 2
	for try in 1 2 3 4 5 6 7; do
		if (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' "$@" -o "$out" .) 2>"$OUT/build.log"; then
			return 0
		fi
		[ "$try" = 7 ] && break
		note "$dir does not compile right now (see $OUT/build.log); retrying in 20 s"
		sleep 20
	done
	cat "$OUT/build.log" >&2
	return 1
}

# scratch_copy DEST: the work tree as it is, without .git, for patched builds.
scratch_copy() {
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$ROOT" --exclude=./.git -cf - . | tar -C "$1" -xf -
}

# ------------------------------------------------------------------ setup

install_tools
mkdir -p "$OUT"
if [ "${BENCH_ONLY:-}" = convert ]; then
	exec "$(dirname "$0")/convert.sh"
fi
case ${BENCH_ONLY:-} in
"" | all) rm -f "$OUT"/*.json "$OUT"/*.txt "$OUT"/*.bin "$OUT"/*.log "$OUT"/results.md ;;
upload | inspect) ;; # each section clears its own files
*)
	echo "bench: BENCH_ONLY=$BENCH_ONLY: only \"upload\" and \"inspect\" are known" >&2
	exit 2
	;;
esac
WORK=$(mktemp -d /tmp/uimport-bench-work.XXXXXX)
H=$WORK/harness
BIN=$WORK/uimport
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	tmux -L "$BENCH_TMUX_SOCKET" -f /dev/null kill-server 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

say "building"
go_build "$ROOT" "$BIN"
(cd "$ROOT" && go build -o "$H" ./bench/harness)
note "binary: $(stat -c %s "$BIN") bytes; harness: $H; results: $OUT"

# A home with no config, no ucloud CLI file, no keyring: what is measured is
# uimport, not this machine's settings.
HOMEDIR=$WORK/home
mkdir -p "$HOMEDIR"
# Every request to a host other than loopback (which Go never proxies) goes
# to a dead loopback proxy and fails at once: the benchmarks stay on this
# machine, with no DNS lookup either.
DEAD_PROXY=http://127.0.0.1:9
CLEAN_SET=(HOME="$HOMEDIR" XDG_CONFIG_HOME="$HOMEDIR/.config" XDG_STATE_HOME="$HOMEDIR/.local/state"
	XDG_DATA_HOME="$HOMEDIR/.local/share" XDG_CACHE_HOME="$HOMEDIR/.cache" DBUS_SESSION_BUS_ADDRESS=
	HTTPS_PROXY=$DEAD_PROXY HTTP_PROXY=$DEAD_PROXY https_proxy=$DEAD_PROXY http_proxy=$DEAD_PROXY NO_PROXY= no_proxy=)
CLEAN_UNSET=(COLORTERM NO_COLOR CLICOLOR CLICOLOR_FORCE ACCESSIBLE XDG_RUNTIME_DIR UIMPORT_CONFIG
	UCLOUD_PUBLIC_KEY UCLOUD_PRIVATE_KEY UCLOUD_REGION UCLOUD_PROJECT_ID UCLOUD_PROFILE UCLOUD_API_BASE_URL)
GATE=() # the same, as harness flags applied inside the pane
for kv in "${CLEAN_SET[@]}"; do GATE+=(-env "$kv"); done
for k in "${CLEAN_UNSET[@]}"; do GATE+=(-unset "$k"); done
CLEAN_ENV=(env) # the same, for commands run outside tmux
for k in "${CLEAN_UNSET[@]}"; do CLEAN_ENV+=(-u "$k"); done
CLEAN_ENV+=("${CLEAN_SET[@]}")

read -r load _ </proc/loadavg
note "load average now: $load (2 cores: other work on the machine shows up as noise)"

{
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "nproc: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel: $(uname -sr)"
	echo "go: $(go version | cut -d' ' -f3-)"
	echo "tmux: $(tmux -V)"
	echo "hyperfine: $(hyperfine --version)"
	echo "strace: $(strace -V | head -1)"
	echo "load at start: $load"
} >"$OUT/machine.txt"
printf '{"binary_bytes": %s, "date": "%s"}\n' "$(stat -c %s "$BIN")" "$(date -u +%F)" >"$OUT/meta.json"

# cpu_busy: percent of all cores busy over one second.
cpu_busy() {
	local a b
	read -r -a a </proc/stat
	sleep 1
	read -r -a b </proc/stat
	local t=0 i
	for i in 1 2 3 4 5 6 7 8; do t=$((t + b[i] - a[i])); done
	local idle=$((b[4] - a[4] + b[5] - a[5]))
	echo $((t > 0 ? 100 * (t - idle) / t : 0))
}

# wait_quiet WHAT: 2 cores are easily disturbed; wait (up to BENCH_WAIT_IDLE
# seconds, default 60) until other work leaves them mostly idle.
wait_quiet() {
	local max=${BENCH_WAIT_IDLE:-60} waited=0 busy
	busy=$(cpu_busy)
	while [ "$busy" -gt 25 ] && [ "$waited" -lt "$max" ]; do
		[ "$waited" = 0 ] && note "CPU ${busy}% busy with other work; waiting up to ${max}s for it to settle"
		waited=$((waited + 1))
		busy=$(cpu_busy)
	done
	note "CPU ${busy}% busy before $1"
	echo "cpu busy before $1: ${busy}%" >>"$OUT/machine.txt"
}

ttff() { # NAME HARNESS-ARGS... — one first-frame case, RUNS runs
	local name=$1
	shift
	"$H" ttff -n "$RUNS" -label "$name" -json "$OUT/ttff-$name.json" "$@" 2>>"$OUT/harness.log" ||
		note "ttff $name failed (see $OUT/harness.log)"
}

# ------------------------------------------------------------------ upload (issue 7)

# Upload (issue 7): `uimport upload` against `curl -T` of the same file to
# the same server, one demo simulator in its own process (harness
# uploadsim: demoapi with its default upload options, BlkSize 4 MiB, parts
# and objects on disk under /tmp). curl sends one signed PutFile; uimport
# its multipart upload (Initiate, parts 4 in flight, Finish, then the
# ETag check) with the demo keys in the environment, as a user with keys
# would, --ufile-endpoint pointing at the simulator. Rounds alternate curl
# and uimport (hyperfine, one run of each per round), so load from other
# work hits both alike. Each uimport run is under /usr/bin/time -v (CPU
# seconds per GB); a 2 GiB sparse file is uploaded once with the defaults
# for peak RSS. --restart and the same keys each round: every run sends
# everything, and the server replaces (and deletes) the previous object.
bench_upload() {
	# An unknown command's --help shows the root help and exits 0: look for
	# upload's own usage line instead (not grep -q: with pipefail, uimport
	# killed by SIGPIPE would fail the test).
	if ! "$BIN" upload --help 2>/dev/null | grep 'uimport upload' >/dev/null; then
		note "skipped: this build has no \`uimport upload\` (issue 7)"
		return 0
	fi
	local size_mb=${BENCH_UPLOAD_MB:-512} rounds=${BENCH_UPLOAD_RUNS:-5} file=$WORK/upload.bin sparse=$WORK/sparse.bin
	rm -f "$OUT"/hf-upload-*.json "$OUT"/upload-time-*.txt "$OUT"/upload-sparse-time.txt "$OUT"/upload.json
	head -c "$((size_mb << 20))" /dev/urandom >"$file"
	"$H" uploadsim "$WORK/sim.txt" bench 2>>"$OUT/harness.log" &
	PIDS+=($!)
	for _ in $(seq 50); do [ -s "$WORK/sim.txt" ] && break; sleep 0.1; done
	local endpoint pub priv auth
	{ read -r endpoint; read -r pub; read -r priv; } <"$WORK/sim.txt"
	auth=$("$H" putauth bench c1)
	local up_env=("${CLEAN_ENV[@]}" UCLOUD_PUBLIC_KEY="$pub" UCLOUD_PRIVATE_KEY="$priv")
	local upload_cmd="$BIN upload $file --bucket bench --key k1 --ufile-endpoint $endpoint --restart"
	# --noproxy: curl, unlike Go, would send even loopback to the dead proxy.
	local curl_cmd="curl -sS --fail --noproxy '*' -o /dev/null -T $file -H 'Authorization: $auth' -H 'Content-Type: application/octet-stream' $endpoint/c1"
	note "simulator: $endpoint; file: ${size_mb} MiB from /dev/urandom"
	# A first run of each, untimed: it must work, and the file is then in
	# the page cache for both.
	if ! "${up_env[@]}" $upload_cmd >/dev/null 2>"$OUT/upload.log"; then
		note "skipped: \`$upload_cmd\` failed (see $OUT/upload.log)"
		return 0
	fi
	if ! eval "$curl_cmd" 2>>"$OUT/upload.log"; then
		note "skipped: curl -T to the simulator failed (see $OUT/upload.log)"
		return 0
	fi
	local i
	for i in $(seq 1 "$rounds"); do
		# uimport keeps both cores busy (its hashing and the simulator's),
		# curl about one: a test suite running meanwhile costs uimport
		# more, so each round waits for the machine to settle (up to 20 s).
		BENCH_WAIT_IDLE=${BENCH_WAIT_IDLE:-20} wait_quiet "upload round $i"
		"${up_env[@]}" hyperfine -N --style none --runs 1 --export-json "$OUT/hf-upload-$i.json" \
			-n "curl -T" "$curl_cmd" \
			-n "uimport upload" "/usr/bin/time -v -o $OUT/upload-time-$i.txt $upload_cmd" >/dev/null 2>>"$OUT/upload.log" ||
			note "round $i failed (see $OUT/upload.log)"
	done
	# Peak RSS: 2 GiB of holes, read as zeros, uploaded as it is (without
	# --as-is it would go as a qcow2 of a few KiB: issue 13, convert.sh).
	truncate -s 2G "$sparse"
	"${up_env[@]}" /usr/bin/time -v -o "$OUT/upload-sparse-time.txt" "$BIN" upload "$sparse" --bucket bench --key sparse \
		--ufile-endpoint "$endpoint" --restart --as-is >/dev/null 2>>"$OUT/upload.log" || note "the sparse upload failed (see $OUT/upload.log)"
	rm -f "$sparse" "$file"
	"$H" uploadstats "$OUT" "$size_mb" >/dev/null
	"$H" report "$OUT" | grep -i 'upload' | sed 's/^/   /'
}

# ------------------------------------------------------------------ inspect (issue 12)

# Inspect (issue 12): `harness inspectimages` builds 2 GiB Rocky 9 (GPT,
# XFS /boot apart, a ~100 MiB zstd initramfs with virtio_blk near its end)
# and Ubuntu 22.04 (GPT, virtio_blk built in) disks with the real tools
# through internal/guestimage, raw and qcow2. `harness inspect` runs
# inspect.Inspect on each in a child process per run (time of Inspect
# alone, ReadAt calls and bytes, getrusage peak RSS): the file with its
# pages cached, then dropped (posix_fadvise, this file only), then through
# rangereader from a loopback server (GETs and bytes, on both sides), and
# with 20 ms added per request. virt-inspector (bench-only, never a test
# dependency) runs on the qcow2 images when installed and able to.
bench_inspect() {
	local runs=${BENCH_INSPECT_RUNS:-5} dir=$WORK/inspect-images
	rm -f "$OUT"/inspect.json "$OUT"/virt-inspector*.json "$OUT"/inspect-images.txt
	note "building the images (mkfs.xfs, mke2fs, sgdisk, zstd, qemu-img; a few minutes on a busy machine)"
	if ! "$H" inspectimages "$dir" >"$OUT/inspect-images.txt" 2>"$OUT/inspect-build.log"; then
		note "skipped: building the images failed (see $OUT/inspect-build.log)"
		return 0
	fi
	local qcows=() all=()
	mapfile -t all <"$OUT/inspect-images.txt"
	for f in "${all[@]}"; do [[ $f == *.qcow2 ]] && qcows+=("$f"); done
	wait_quiet "the inspection runs"
	"$H" inspect -n "$runs" -json "$OUT/inspect.json" "${all[@]}" 2>&1 | tee "$OUT/inspect.log" | sed 's/^ *//; s/^/   /'
	if [ "${BENCH_VIRT_INSPECTOR:-1}" = 1 ]; then
		if command -v virt-inspector >/dev/null; then
			mkdir -p "$OUT/virt-inspector"
			"$H" virtinspect -n "${BENCH_VIRT_RUNS:-1}" -settings "${BENCH_VIRT_SETTINGS-force_tcg}" -ours "$OUT/inspect.json" -json "$OUT/virt-inspector.json" \
				-logs "$OUT/virt-inspector" "${qcows[@]}" 2>&1 | sed 's/^ *//; s/^/   /'
		else
			note "virt-inspector not installed: apt-get install --no-install-recommends libguestfs-tools linux-image-amd64 (see BENCHMARKS.md)"
		fi
	fi
	rm -rf "$dir"
}

# table: the results, from everything in $OUT.
table() {
	say "results ($(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
	"$H" report "$OUT" | tee "$OUT/results.md"
	read -r load _ </proc/loadavg
	echo "load at end: $load" >>"$OUT/machine.txt"
	note "everything measured is in $OUT (JSON, terminal byte dumps, strace, timelines)"
}

# BENCH_ONLY=upload: just the upload figures (the other results in $OUT
# from an earlier run stay, and the table shows them too).
if [ "${BENCH_ONLY:-}" = upload ]; then
	say "upload throughput vs curl -T, CPU per GB, peak RSS (issue 7)"
	bench_upload
	table
	exit 0
fi

if [ "${BENCH_ONLY:-}" = inspect ]; then
	say "image inspection: local, over ranged GETs, beside virt-inspector (issue 12)"
	bench_inspect
	table
	exit 0
fi

# ------------------------------------------------------------------ first frame

say "time to first frame (tmux 80x24, $RUNS runs each after 2 warm-ups)"
wait_quiet "the first-frame runs"
ttff echo -marker "Keys from:" -- /bin/echo "Keys from:"
ttff demo -marker "Keys from:" "${GATE[@]}" -- "$BIN" --demo
"$H" slowbus "$WORK/bus.sock" &
PIDS+=($!)
sleep 0.2
ttff demo-slowbus -marker "Keys from:" "${GATE[@]}" -env "DBUS_SESSION_BUS_ADDRESS=unix:path=$WORK/bus.sock" -- "$BIN" --demo
# Without --demo and without keys, the keyring is asked (and hangs until its
# 2 s limit): the first frame must not wait for it, the prompt does.
ttff nodemo-slowbus -n 5 -warmup 1 -marker "Looking for API keys" -marker "No API keys found" \
	"${GATE[@]}" -env "DBUS_SESSION_BUS_ADDRESS=unix:path=$WORK/bus.sock" -- "$BIN" --base-url http://127.0.0.1:9
ttff demo-notmux -marker "Keys from:" "${GATE[@]}" -unset TMUX -- "$BIN" --demo

# ------------------------------------------------------------------ bytes, RSS

say "whole demo wizard sessions ($SESSIONS, $CHARS keys typed into the image name), bytes and peak RSS"
wait_quiet "the sessions"
for i in $(seq 1 "$SESSIONS"); do
	"$H" session -chars "$CHARS" -rss "$WORK/rss-$i.txt" -json "$OUT/session-$i.json" -dump "$OUT/session-$i.bin" \
		"${GATE[@]}" -- /usr/bin/time -v -o "$WORK/rss-$i.txt" "$BIN" --demo 2>>"$OUT/harness.log" ||
		note "session $i failed (see $OUT/harness.log)"
done

note "renderer: bytes per frame for a row that does not change (harness widecell)"
"$H" widecell | tee "$OUT/widecell.txt"

# ------------------------------------------------------------------ wall times

say "uimport version, binary size, import --yes (hyperfine)"
wait_quiet "hyperfine"
"${CLEAN_ENV[@]}" hyperfine -N --style basic --warmup 20 --runs 300 --export-json "$OUT/hf-version.json" "$BIN version" |
	grep -E 'Time|Range' || true
# The same with stdout a terminal, inside tmux: what a user typing it sees.
tmux -L "$BENCH_TMUX_SOCKET" -f /dev/null new-session -d -s hv -x 80 -y 24 \
	"$(printf '%q ' "${CLEAN_ENV[@]}") hyperfine -N --style basic --output=inherit --warmup 20 --runs 200 --export-json $OUT/hf-version-tty.json '$BIN version'; tmux -L $BENCH_TMUX_SOCKET wait-for -S hv-done"
timeout 300 tmux -L "$BENCH_TMUX_SOCKET" -f /dev/null wait-for hv-done || note "hyperfine in tmux did not finish"
IMPORT="$BIN import --demo --yes --region cn-bj2 --name bench-image --url https://uimport-demo.cn-bj.ufileos.com/images/disk.qcow2 --os-type CentOS --os-name 'CentOS 7.9 64位' --format qcow2 --skip-check"
"${CLEAN_ENV[@]}" hyperfine -N --style basic --warmup 3 --runs 40 --export-json "$OUT/hf-import.json" "$IMPORT" |
	grep -E 'Time|Range' || true

# ------------------------------------------------------------------ go benchmarks

say "go test -bench (apiclient: signing and request encoding)"
(cd "$ROOT" && go test -bench . -benchmem -run '^$' -count 5 ./apiclient) >"$OUT/gobench.txt" 2>&1 ||
	note "go test -bench failed (see $OUT/gobench.txt)"
grep -E '^Benchmark' "$OUT/gobench.txt" | sed 's/^/   /' || true

# ------------------------------------------------------------------ start-path profile

say "start path: package inits (GODEBUG=inittrace=1, stdout not a terminal)"
GODEBUG=inittrace=1 "${CLEAN_ENV[@]}" "$BIN" version 2>"$OUT/inittrace.txt" >/dev/null || true
awk '/^init / {n++; clock+=$5; if ($5 > max) {max=$5; slow=$2}; at=$3} END {
	printf "   %d packages, %.2f ms of init work, last init at %s ms; slowest %s (%.2f ms)\n", n, clock, at, slow, max }' \
	"$OUT/inittrace.txt"
# sed reads all of sort's output: head would leave sort to die of SIGPIPE,
# which pipefail turns into the end of the run.
sort -k5 -n -r "$OUT/inittrace.txt" | sed -n '1,5s/^/   /p'

say "start path: syscalls up to the first frame (strace -f --seccomp-bpf; strace slows what it traces)"
"$H" ttff -n 1 -warmup 1 -hold 300ms -label strace -marker "Keys from:" "${GATE[@]}" -- \
	strace -f --seccomp-bpf -ttt -e trace=execve,write,connect,openat,exit_group -o "$OUT/strace-demo.txt" "$BIN" --demo \
	>/dev/null 2>>"$OUT/harness.log" && "$H" stracesum "$OUT/strace-demo.txt" | tee "$OUT/strace-demo-summary.txt" || note "strace failed"
note "without --demo, no keys, the D-Bus that never answers: the first frame and the keyring's connect"
"$H" ttff -n 1 -warmup 0 -hold 300ms -label strace2 -marker "Looking for API keys" "${GATE[@]}" \
	-env "DBUS_SESSION_BUS_ADDRESS=unix:path=$WORK/bus.sock" -- \
	strace -f --seccomp-bpf -ttt -e trace=execve,write,connect,openat,exit_group -o "$OUT/strace-nodemo.txt" "$BIN" --base-url http://127.0.0.1:9 \
	>/dev/null 2>>"$OUT/harness.log" && "$H" stracesum -after 4 "$OUT/strace-nodemo.txt" | tee "$OUT/strace-nodemo-summary.txt" || note "strace failed"

# scratch_build NAME OUTPUT PATCH...: copies the work tree to $WORK/NAME,
# applies the patch scripts and builds OUTPUT. The tree may be mid-edit by
# someone else: a copy that does not build is taken again, up to 4 times.
scratch_build() {
	local name=$1 out=$2
	shift 2
	local dir=$WORK/$name flags=()
	for try in 1 2 3 4; do
		scratch_copy "$dir"
		local ok=1
		for patch in "$@"; do
			"$ROOT/bench/$patch" "$dir" >>"$OUT/$name-build.log" 2>&1 || ok=0
			[ "$patch" = timeline-patch.sh ] && flags=(-mod=vendor)
		done
		if [ "$ok" = 1 ] && (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' "${flags[@]}" -o "$out" .) >>"$OUT/$name-build.log" 2>&1; then
			return 0
		fi
		[ "$try" = 4 ] && break
		note "$name: the patched copy does not build (see $OUT/$name-build.log); copying again in 20 s"
		sleep 20
	done
	return 1
}

if [ "$TIMELINE" = 1 ]; then
	say "start path: wall-clock timeline (scratch copy instrumented by bench/timeline-patch.sh, $RUNS runs)"
	if scratch_build timeline "$WORK/uimport-timeline" timeline-patch.sh; then
		"$H" ttff -n "$RUNS" -label timeline -marker "Keys from:" "${GATE[@]}" -env "BENCH_MARKS=$WORK/marks.txt" -- \
			"$WORK/uimport-timeline" --demo >/dev/null 2>>"$OUT/harness.log"
		"$H" marks "$WORK/marks.txt" | tee "$OUT/timeline.txt"
	else
		note "skipped: the instrumented build failed (see $OUT/timeline-build.log)"
	fi
fi

# ------------------------------------------------------------------ what-if

if [ "$WHATIF" = 1 ]; then
	say "what-if: the changes BENCHMARKS.md recommends (bench/whatif-patch.sh, scratch copy)"
	if scratch_build whatif "$WORK/uimport-whatif" whatif-patch.sh; then
		grep '^whatif-patch:' "$OUT/whatif-build.log" | tail -4 | sed 's/^/   /'
		wait_quiet "the what-if runs"
		ttff whatif -marker "Keys from:" "${GATE[@]}" -- "$WORK/uimport-whatif" --demo
		ttff whatif-notmux -marker "Keys from:" "${GATE[@]}" -unset TMUX -- "$WORK/uimport-whatif" --demo
		"$H" session -chars "$CHARS" -json "$OUT/session-whatif.json" -dump "$OUT/session-whatif.bin" \
			"${GATE[@]}" -- "$WORK/uimport-whatif" --demo 2>>"$OUT/harness.log" || note "what-if session failed"
		if [ "$TIMELINE" = 1 ] && scratch_build whatif-timeline "$WORK/uimport-whatif-tl" whatif-patch.sh timeline-patch.sh; then
			note "timeline with the changes:"
			"$H" ttff -n "$RUNS" -label whatif-timeline -marker "Keys from:" "${GATE[@]}" -env "BENCH_MARKS=$WORK/marks-whatif.txt" -- \
				"$WORK/uimport-whatif-tl" --demo >/dev/null 2>>"$OUT/harness.log"
			"$H" marks "$WORK/marks-whatif.txt" | tee "$OUT/timeline-whatif.txt"
		fi
	else
		note "skipped: the patch no longer applies or the patched tree does not build (see $OUT/whatif-build.log)"
	fi
fi

# ------------------------------------------------------------------ upload

say "upload throughput vs curl -T, CPU per GB, peak RSS (issue 7)"
bench_upload

# ------------------------------------------------------------------ inspect

say "image inspection: local, over ranged GETs, beside virt-inspector (issue 12)"
bench_inspect

# ------------------------------------------------------------------ table

table
