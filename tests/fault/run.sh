#!/bin/sh
# tests/fault/run.sh BUILD_DIR: fault injection (issue 6).
#  1. I/O: `entente run` appends a chronicle of 50 lines to a journal holding
#     the history while one system call on the journal's files fails (the
#     LD_PRELOAD shim BUILD_DIR/fault-shim.so): each open, each write, each
#     fsync in turn, as a full disk (ENOSPC), an I/O error (EIO) and a short
#     write. Each time: a clean error (a message and an EX_* status) or
#     success; then, without the shim, `entente verify` passes and the journal
#     holds all 50 lines or none, and all of them if the run said it succeeded
#     (nothing acknowledged that is not stored).
#  2. memory: BUILD_DIR/fault-oom fails the k-th allocation of the library
#     (ent_set_allocator) for every k of a scenario, once and for good.
# Ends with "fault: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
B=${1:?usage: tests/fault/run.sh BUILD_DIR}
case "$B" in /*) ;; *) B="$top/$B";; esac
ENT="$B/entente"
SHIM="$B/fault-shim.so"
work=$(mktemp -d "${TMPDIR:-/tmp}/entente-fault.XXXXXX") || exit 74
trap 'rm -rf "$work"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL fault: $*"; fail=$((fail + 1)); }
# the shim comes after the sanitizer's runtime in a sanitizer build
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"

"$ENT" run --db "$work/base.db" /dev/null >/dev/null 2>&1 || { bad "could not make the base journal"; echo "fault: 0 passed, 1 failed"; exit 1; }
base=$("$ENT" log --db "$work/base.db" | wc -l)
awk 'BEGIN { for (i = 0; i < 50; i++) printf "2026-12-01 KZ note \"fault line %d\"\n", i }' >"$work/in.chron"

fresh() { rm -f "$work/j.db" "$work/j.db-wal" "$work/j.db-shm"; cp "$work/base.db" "$work/j.db"; }

# one injected run: $1 op, $2 N, $3 errno, $4 short
inject() {
    fresh
    FAULT_PATH="$work/j.db" FAULT_OP=$1 FAULT_AT=$2 FAULT_ERRNO=$3 FAULT_SHORT=$4 FAULT_COUNT="$work/count" \
        LD_PRELOAD="$SHIM" "$ENT" run --db "$work/j.db" "$work/in.chron" >"$work/out" 2>"$work/err"
}

for variant in "open 0 ENOSPC" "write 0 ENOSPC" "write 0 EIO" "write 1 ENOSPC" "sync 0 EIO"; do
    set -- $variant
    op=$1 short=$2 errno=$3
    inject "$op" 0 "$errno" "$short"
    rc=$?
    calls=$(cat "$work/count" 2>/dev/null || echo 0)
    if [ $rc -ne 0 ] || [ "$calls" -eq 0 ]; then
        bad "$op: the run without a fault failed ($rc) or made no $op call ($calls)"
        continue
    fi
    n=1
    all=0 none=0 clean=0
    while [ $n -le "$calls" ]; do
        inject "$op" "$n" "$errno" "$short"
        rc=$?
        what="$op #$n of $calls ($errno${short:+, short=$short})"
        if [ $rc -ne 0 ]; then
            case $rc in 65|66|70|71|74|75) ;; *) bad "$what: exit status $rc"; n=$((n + 1)); continue;; esac
            if ! grep -q "error" "$work/err"; then bad "$what: exit $rc without an error message"; fi
            clean=$((clean + 1))
        fi
        if ! "$ENT" verify --db "$work/j.db" >"$work/verify" 2>&1; then
            bad "$what: verify failed after the fault: $(head -n 2 "$work/verify")"
            n=$((n + 1))
            continue
        fi
        have=$("$ENT" log --db "$work/j.db" | wc -l)
        if [ "$have" -eq $((base + 50)) ]; then
            all=$((all + 1)); ok
        elif [ "$have" -eq "$base" ] && [ $rc -ne 0 ]; then
            none=$((none + 1)); ok
        else
            bad "$what: exit $rc and $((have - base)) of 50 lines stored"
        fi
        n=$((n + 1))
    done
    echo "ok fault $op ($errno${short:+, short=$short}): $calls calls, each made to fail: $clean refused with a clean error; journal whole $all times, untouched $none times"
done

# the allocation-failure driver, the k-th allocation failing for good, then only the k-th
oom() {
    out=$("$B/fault-oom" "$@" "$work" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^oom: [0-9]* passed' | tail -n 5
    line=$(printf '%s\n' "$out" | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/^oom: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/^oom: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    [ -n "$p" ] || { p=0; f=1; }
    [ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
    pass=$((pass + p)); fail=$((fail + f))
}
oom
oom --once

echo "fault: $pass passed, $fail failed"
[ $fail -eq 0 ]
