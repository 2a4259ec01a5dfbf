#!/usr/bin/env bash
# bench/convert.sh — issue 13: upload the data, not the virtual size.
# `BENCH_ONLY=convert bench/run.sh` runs it too.
#
# Side by side, on loopback against the demo simulator (bench/harness
# uploadsim, BlkSize 4 MiB):
#   1. a sparse RAW (BENCH_CONVERT_GIB, default 20 GiB, with
#      BENCH_CONVERT_DATA_MIB of data, default 2048, in 1 MiB pieces spread
#      evenly) uploaded three ways: `uimport upload` (RAW to qcow2 on the
#      way), `qemu-img convert -O qcow2` then `uimport upload` of its
#      result, and `uimport upload --as-is` (BENCH_CONVERT_ASIS=0 skips
#      this one: it sends the whole virtual size);
#   2. a .raw.xz (BENCH_XZ_MIB, default 1024, half data half zeros) uploaded
#      by `uimport upload` (with the xz program, and with the Go decoder)
#      against `xz -dc FILE | wc -c`;
# with wall time, bytes sent and peak RSS (/usr/bin/time -v) for each.
# Prints a Markdown table; everything stays in $BENCH_OUT/convert.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-/tmp/uimport-bench}/convert
GIB=${BENCH_CONVERT_GIB:-20}
DATA_MIB=${BENCH_CONVERT_DATA_MIB:-2048}
XZ_MIB=${BENCH_XZ_MIB:-1024}
ASIS=${BENCH_CONVERT_ASIS:-1}
WORK=$(mktemp -d "${BENCH_WORK:-/tmp}/uimport-convert.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.json "$OUT"/*.log
note() { printf '   %s\n' "$*"; }

for tool in qemu-img xz python3 /usr/bin/time; do
	command -v "$tool" >/dev/null || {
		echo "bench/convert.sh: $tool is missing (scripts/test-deps.sh installs it)" >&2
		exit 1
	}
done

BIN=${BENCH_BIN:-$WORK/uimport}
H=$WORK/harness
if [ -z "${BENCH_BIN:-}" ]; then
	(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$BIN" .)
fi
(cd "$ROOT" && go build -o "$H" ./bench/harness)

{
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "nproc: $(nproc)"
	lscpu | head -n 16
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel: $(uname -sr)"
	echo "go: $(go version | cut -d' ' -f3-)"
	echo "qemu-img: $(qemu-img --version | head -1)"
	echo "xz: $(xz --version | head -1)"
	echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "commit: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo unknown)"
} >"$OUT/machine.txt"

"$H" uploadsim "$WORK/sim.txt" bench 2>>"$OUT/harness.log" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/sim.txt" ] && break; sleep 0.1; done
{ read -r endpoint; read -r pub; read -r priv; } <"$WORK/sim.txt"
HOMEDIR=$WORK/home
mkdir -p "$HOMEDIR"
RUN_ENV=(env -u UCLOUD_PROFILE -u UCLOUD_REGION HOME="$HOMEDIR" XDG_CONFIG_HOME="$HOMEDIR/.config"
	XDG_STATE_HOME="$HOMEDIR/.local/state" DBUS_SESSION_BUS_ADDRESS= HTTPS_PROXY=http://127.0.0.1:9
	HTTP_PROXY=http://127.0.0.1:9 NO_PROXY= UCLOUD_PUBLIC_KEY="$pub" UCLOUD_PRIVATE_KEY="$priv")

# timed NAME CMD...: runs CMD under /usr/bin/time -v, keeps its stdout.
timed() {
	local name=$1
	shift
	/usr/bin/time -v -o "$OUT/$name.time.txt" "$@" >"$OUT/$name.out" 2>"$OUT/$name.log" || {
		echo "bench/convert.sh: $name failed; see $OUT/$name.log" >&2
		tail -5 "$OUT/$name.log" >&2
		exit 1
	}
}
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.1f", s}' "$OUT/$1.time.txt"; }
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$OUT/$1.time.txt"; }
cpu() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$OUT/$1.time.txt"; }
sent() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["size"])' "$OUT/$1.out"; }
human() { python3 -c 'import sys; n=float(sys.argv[1]); print("%.2f GiB" % (n/2**30) if n>=2**30 else "%.1f MiB" % (n/2**20))' "$1"; }
upload() { # NAME FILE KEY [FLAGS...]; PRE="env X=Y" runs it with X=Y
	local name=$1 file=$2 key=$3
	shift 3
	# shellcheck disable=SC2086 # PRE is words
	timed "$name" "${RUN_ENV[@]}" ${PRE:-} "$BIN" upload "$file" --bucket bench --key "$key" --ufile-endpoint "$endpoint" --restart -o json "$@"
}

# ---------------------------------------------------------------- sparse RAW
RAW=$WORK/disk.raw
python3 - "$RAW" "$GIB" "$DATA_MIB" <<'EOF'
import os, sys
path, gib, data_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = gib << 30
with open(path, "wb") as f:
    f.truncate(size)
    step = size // data_mib // (1 << 20) * (1 << 20)
    for i in range(data_mib):
        f.seek(i * step)
        f.write(os.urandom(1 << 20))
EOF
note "sparse RAW: ${GIB} GiB with ${DATA_MIB} MiB of data ($(du -k "$RAW" | cut -f1) KiB allocated)"

upload raw-convert "$RAW" raw1
timed qemu-convert qemu-img convert -O qcow2 "$RAW" "$WORK/conv.qcow2"
upload qemu-upload "$WORK/conv.qcow2" raw2
qemu_size=$(stat -c %s "$WORK/conv.qcow2")
rm -f "$WORK/conv.qcow2"
if [ "$ASIS" = 1 ]; then
	upload raw-asis "$RAW" raw3 --as-is
fi
rm -f "$RAW"

# ---------------------------------------------------------------- .raw.xz
XZRAW=$WORK/x.raw
python3 - "$XZRAW" "$XZ_MIB" <<'EOF'
import os, sys, glob
path, mib = sys.argv[1], int(sys.argv[2])
# Half real program bytes (compressible like a system disk), half zeros.
src = b""
for p in sorted(glob.glob("/usr/bin/*")) + sorted(glob.glob("/usr/lib/x86_64-linux-gnu/*.so*")):
    try:
        with open(p, "rb") as g:
            src += g.read()
    except OSError:
        pass
    if len(src) >= 256 << 20:
        break
with open(path, "wb") as f:
    f.truncate(mib << 20)
    chunk = 1 << 20
    for i in range(0, mib, 2):
        off = (i * chunk) % max(1, len(src) - chunk)
        f.seek(i * chunk)
        f.write(src[off:off + chunk])
EOF
xz -T0 -3 -k "$XZRAW"
rm -f "$XZRAW"
XZ=$XZRAW.xz
note ".raw.xz: ${XZ_MIB} MiB disk, $(human "$(stat -c %s "$XZ")") compressed"
timed xz-dc sh -c "xz -dc '$XZ' | wc -c"
upload xz-upload "$XZ" xz1
PRE="env UIMPORT_XZ=go" upload xz-upload-go "$XZ" xz2

# ---------------------------------------------------------------- table
data_bytes=$((DATA_MIB << 20))
raw_sent=$(sent raw-convert)
ratio=$(python3 -c "print('%.3f' % ($raw_sent / $data_bytes))")
xzdc=$(wall xz-dc)
xzup=$(wall xz-upload)
{
	echo "| measure | wall | CPU (user+sys) | bytes sent | peak RSS |"
	echo "|---|---|---|---|---|"
	echo "| ${GIB} GiB sparse RAW (${DATA_MIB} MiB data): \`uimport upload\` (RAW → qcow2 on the way) | $(wall raw-convert) s | $(cpu raw-convert) s | $(human "$raw_sent") ($ratio × data) | $(rss raw-convert) MiB |"
	echo "| … \`qemu-img convert -O qcow2\`, then \`uimport upload\` of the result | $(wall qemu-convert) s + $(wall qemu-upload) s | $(cpu qemu-convert) s + $(cpu qemu-upload) s | $(human "$qemu_size") | $(rss qemu-upload) MiB (qemu-img $(rss qemu-convert) MiB) |"
	if [ "$ASIS" = 1 ]; then
		echo "| … \`uimport upload --as-is\` (the RAW as it is) | $(wall raw-asis) s | $(cpu raw-asis) s | $(human "$(sent raw-asis)") | $(rss raw-asis) MiB |"
	fi
	echo "| ${XZ_MIB} MiB .raw.xz: \`xz -dc FILE \| wc -c\` | $xzdc s | $(cpu xz-dc) s | | $(rss xz-dc) MiB |"
	echo "| … \`uimport upload\` (xz program, read twice: plan, then send) | $xzup s (ratio $(python3 -c "print('%.2f' % ($xzdc / $xzup))")) | $(cpu xz-upload) s | $(human "$(sent xz-upload)") | $(rss xz-upload) MiB |"
	echo "| … \`uimport upload\` with the Go decoder (UIMPORT_XZ=go) | $(wall xz-upload-go) s (ratio $(python3 -c "print('%.2f' % ($xzdc / $(wall xz-upload-go)))")) | $(cpu xz-upload-go) s | $(human "$(sent xz-upload-go)") | $(rss xz-upload-go) MiB |"
} | tee "$OUT/table.md"
note "peak RSS of uimport excludes the xz child process; CPU of the simulator is not counted (same for all rows)"
note "everything is in $OUT"
