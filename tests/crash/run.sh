#!/bin/sh
# tests/crash/run.sh BUILD_DIR [ROUNDS]: crash safety (issue 6).
# 1. `entente serve` driven by 16 concurrent clients and killed with SIGKILL at
#    random moments, ROUNDS times (tests/crash/server.mjs): every acknowledged
#    command is in the journal once, verify passes, and the state digest equals
#    a fresh replay's.
# 2. `entente run`: each round starts `entente run` appending a chronicle of 5,000 lines to a journal that
# already holds the history (and the rounds before), kills it with SIGKILL at
# a random moment (0-400 ms), and checks that the journal is all or nothing:
# `entente verify` passes and the journal holds either every line of the
# chronicle or none of it. make test runs 5 rounds, make soak 100 (ROUNDS).
# Ends with "crash: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
B=${1:?usage: tests/crash/run.sh BUILD_DIR [ROUNDS]}
ROUNDS=${2:-5}
case "$B" in /*) ;; *) B="$top/$B";; esac
ENT="$B/entente"
work=$(mktemp -d "${TMPDIR:-/tmp}/entente-crash.XXXXXX") || exit 74
trap 'rm -rf "$work"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL crash: $*"; fail=$((fail + 1)); }

rand() { # a random number in 0..$1-1
    n=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    echo $((n % $1))
}

db="$work/run.db"
"$ENT" run --db "$db" /dev/null >/dev/null 2>&1 || { bad "could not make the journal"; echo "crash: $pass passed, $fail failed"; exit 1; }
count() { "$ENT" log --db "$db" 2>/dev/null | wc -l; }
have=$(count)
r=0
killed=0
whole=0
none=0
while [ $r -lt "$ROUNDS" ]; do
    r=$((r + 1))
    awk -v r="$r" 'BEGIN { for (i = 0; i < 5000; i++) printf "2026-12-01 KZ note \"round %d line %d\"\n", r, i }' >"$work/in.chron"
    "$ENT" run --db "$db" "$work/in.chron" >/dev/null 2>&1 &
    pid=$!
    ms=$(rand 400)
    sleep "$(printf '0.%03d' "$ms")"
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null
    if ! "$ENT" verify --db "$db" >"$work/verify.log" 2>&1; then
        bad "round $r (killed after $ms ms): verify failed: $(head -n 3 "$work/verify.log")"
        break
    fi
    now=$(count)
    if [ "$now" -eq "$have" ]; then
        none=$((none + 1)); ok
    elif [ "$now" -eq $((have + 5000)) ]; then
        whole=$((whole + 1)); ok
    else
        bad "round $r (killed after $ms ms): $((now - have)) of 5000 lines in the journal"
        break
    fi
    have=$now
done
out=$(node tests/crash/server.mjs "$B" "$ROUNDS" 2>&1)
printf '%s\n' "$out" | grep -v '^crash-server: [0-9]* passed'
line=$(printf '%s\n' "$out" | tail -n 1)
p=$(printf '%s\n' "$line" | sed -n 's/^crash-server: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$line" | sed -n 's/^crash-server: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$p" ] || { p=0; f=1; echo "FAIL crash: the server rounds ended without a count"; }
pass=$((pass + p)); fail=$((fail + f))
echo "ok crash run: $r rounds, $killed killed while running; $whole whole, $none none; verify passed each time"
echo "crash: $pass passed, $fail failed"
[ $fail -eq 0 ]
