#!/bin/sh
# run-bench.sh [BUILD_DIR]: run the benchmarks (BUILD_DIR/bench-core, built by
# `make bench`), print their table, and write the results with a description
# of the machine into docs/performance.md, between the markers
#     <!-- bench:begin -->  and  <!-- bench:end -->
# (the rest of the page, how each figure is measured and the profiles, is
# written by hand and kept). Without the markers the results are appended.
#
# Environment:
#   BENCH_ARGS   extra arguments for bench-core (e.g. "--quick", "--reps 3")
#   BENCH_DOC    the page to update (default docs/performance.md; "-" = none)
#   BENCH_HTTP   0: leave out the crisis room's figures (bench/http.sh)
#   TMPDIR       where the journals are written (default /tmp); it should be
#                on a real disk, not tmpfs, or the durable figures mean nothing
#
# A missed target is reported in the table, not turned into a failure; the
# script fails only if the benchmark itself fails.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 70
B=${1:-build}
BIN="$B/bench-core"
DOC=${BENCH_DOC:-docs/performance.md}

if [ ! -x "$BIN" ]; then
    echo "run-bench.sh: $BIN not found; run 'make bench'" >&2
    exit 66
fi

out=$(mktemp "${TMPDIR:-/tmp}/entente-bench-out.XXXXXX") || exit 74
trap 'rm -f "$out" "$out.region" "$out.doc" "$out.rows" "$out.notes" "$out.merged"' EXIT INT TERM

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
t0=$(date +%s)
# shellcheck disable=SC2086 # BENCH_ARGS is a list of words
"$BIN" ${BENCH_ARGS:-} >"$out"
rc=$?
t1=$(date +%s)
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if [ $rc -ne 0 ]; then
    cat "$out"
    echo "run-bench.sh: $BIN failed (exit $rc)" >&2
    exit $rc
fi
# the crisis room's figures (bench/http.sh: entente serve against nginx, wrk on
# loopback): their rows join bench-core's table, their details its notes
if [ -x "$B/entente" ] && [ "${BENCH_HTTP:-1}" != 0 ]; then
    : >"$out.rows"
    : >"$out.notes"
    sh bench/http.sh "$B" "$out.rows" "$out.notes"
    awk -v rows="$out.rows" -v notes="$out.notes" '
        /^\|/ { intable = 1; print; next }
        intable && !done { while ((getline l < rows) > 0) print l; done = 1; intable = 0 }
        { print }
        END { if (!done) while ((getline l < rows) > 0) print l; while ((getline l < notes) > 0) print l }
    ' "$out" >"$out.merged" && cat "$out.merged" >"$out"
fi
cat "$out"

# ------------------------------------------------------------- the machine
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
[ -n "$cpu" ] || cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
mhz=$(lscpu 2>/dev/null | sed -n 's/^CPU max MHz:[[:space:]]*//p' | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
cc_v=$(${CC:-cc} --version 2>/dev/null | head -n 1)
sqlite_v=$(pkg-config --modversion sqlite3 2>/dev/null || echo "?")
sodium_v=$(pkg-config --modversion libsodium 2>/dev/null || echo "?")
tmp_fs=$(df -PT "${TMPDIR:-/tmp}" 2>/dev/null | awk 'NR == 2 { print $2 " on " $1 }')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git status --porcelain -- src include 2>/dev/null | head -n 1)
[ -n "$dirty" ] && commit="$commit + uncommitted changes in src/"

{
    echo "<!-- bench:begin -->"
    echo "Run of $started ($((t1 - t0)) s), \`make bench\` (\`$BIN${BENCH_ARGS:+ $BENCH_ARGS}\`), commit $commit."
    echo
    echo "| machine | |"
    echo "|---|---|"
    echo "| CPU | ${cpu:-?}${mhz:+, max $mhz MHz} |"
    echo "| cores (nproc) | $(nproc 2>/dev/null || echo ?) |"
    echo "| memory | ${mem:-?} |"
    echo "| kernel | $(uname -sr) |"
    echo "| compiler | ${cc_v:-?}, -O2 -g -DNDEBUG |"
    echo "| SQLite | $sqlite_v (WAL, synchronous=FULL) |"
    echo "| libsodium | $sodium_v |"
    echo "| journal files | ${TMPDIR:-/tmp} (${tmp_fs:-?}) |"
    echo "| load average | $load_before before, $load_after after (the machine is shared) |"
    echo
    cat "$out"
    echo "<!-- bench:end -->"
} >"$out.region"

[ "$DOC" = "-" ] && exit 0
if [ -f "$DOC" ] && grep -q '^<!-- bench:begin -->$' "$DOC" && grep -q '^<!-- bench:end -->$' "$DOC"; then
    awk -v region="$out.region" '
        /^<!-- bench:begin -->$/ { while ((getline l < region) > 0) print l; skip = 1; next }
        /^<!-- bench:end -->$/   { skip = 0; next }
        !skip { print }
    ' "$DOC" >"$out.doc" && cat "$out.doc" >"$DOC" || exit 74
else
    { [ -f "$DOC" ] && cat "$DOC" && echo; echo "## Latest results"; echo; cat "$out.region"; } >"$out.doc" &&
        cat "$out.doc" >"$DOC" || exit 74
fi
echo "run-bench.sh: results written to $DOC"
