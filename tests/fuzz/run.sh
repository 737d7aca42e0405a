#!/bin/sh
# tests/fuzz/run.sh FUZZ_BUILD SECONDS [TARGET...]: run each libFuzzer target
# (built by `make fuzz` into FUZZ_BUILD, by clang with ASan+UBSan) for SECONDS
# seconds, on its corpus: the corpus kept in tests/fuzz/corpus/NAME/ (a
# minimized corpus of earlier runs, -merge=1; inputs that once crashed are kept
# there too, as regression cases), seeds made from the built-in data, and the
# corpus it grows in FUZZ_BUILD/corpus/NAME/. A journal's inputs are SQLite
# files: its seeds are made here, not kept.
# A crash is saved as FUZZ_BUILD/crash-NAME-* and fails the run. Prints for
# each target its executions, coverage (cov: edges) and corpus size; ends with
# "fuzz: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
FB=${1:?usage: tests/fuzz/run.sh FUZZ_BUILD SECONDS [TARGET...]}
SECS=${2:-60}
shift 2
targets=${*:-$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c | sed 's/^fuzz_//'; done)}
pass=0
fail=0

seed() { # $1 = target name, $2 = seed dir
    case "$1" in
    chronicle)
        cp data/history.chron "$2/history.chron"
        for f in tests/golden/cases/*/*.chron; do cp "$f" "$2/$(basename "$(dirname "$f")")-$(basename "$f")"; done
        "$FB/entente" export --format jsonl >"$2/history.jsonl" 2>/dev/null || true
        ;;
    charter)
        for f in data/charters/*.chron; do cp "$f" "$2/"; done
        ;;
    http)
        # requests of every kind, with token marks (fuzz_http.c replaces them)
        crlf() { printf '%s\r\n' "$@"; }
        { crlf "GET /api/state?at=2022-01-08 HTTP/1.1" "Host: x" ""; } >"$2/state"
        { crlf "GET /api/log?after=100&limit=5 HTTP/1.1" "Host: x" ""; } >"$2/log"
        { crlf "GET /api/why/KZ-2022-D HTTP/1.1" "Host: x" ""; } >"$2/why"
        { crlf "GET /api/route?from=RU&to=AM HTTP/1.1" "Host: x" ""; } >"$2/route"
        { crlf "GET /api/stream HTTP/1.1" "Host: x" "Last-Event-ID: 130" ""; } >"$2/stream"
        { crlf "GET /api/whoami HTTP/1.1" "Host: x" "Authorization: Bearer @OBS@" ""; } >"$2/whoami"
        { crlf "GET /../%2e%2e/index.html HTTP/1.1" "Host: x" ""; } >"$2/static"
        body='2027-03-01 KZ request assistance id=R1 article=treaty-4 threat=unrest "help"'
        { crlf "POST /api/commands HTTP/1.1" "Host: x" "Authorization: Bearer @KZ@" "Content-Type: text/plain" \
            "Idempotency-Key: k1" "Content-Length: ${#body}" ""; printf '%s' "$body"; } >"$2/commands"
        body='{"lines":["2027-03-01 CSC propose deploy id=D1 force=CPKF host=KZ request=R1 \"go\""]}'
        { crlf "POST /api/commands HTTP/1.1" "Host: x" "Authorization: Bearer @CHAIR@" "Content-Type: application/json" \
            "Content-Length: ${#body}" ""; printf '%s' "$body"; } >"$2/json"
        body='{"name":"Pat Doe","email":"pat@example.org","party":"UN"}'
        { crlf "POST /api/conferences/K1/register HTTP/1.1" "Host: x" "Content-Type: application/json" \
            "Content-Length: ${#body}" ""; printf '%s' "$body"; } >"$2/register"
        body='{"about":"KZ-2022-D","stance":"for","text":"well done"}'
        { crlf "POST /api/comments HTTP/1.1" "Host: x" "Authorization: Bearer @ADMIN@" "Content-Type: application/json" \
            "Content-Length: ${#body}" ""; printf '%s' "$body"; } >"$2/comment"
        ;;
    journal)
        # small valid journals: the built-in history, and one bare journal
        rm -f "$2/history.db" "$2/bare.db"
        "$FB/entente" run --db "$2/history.db" /dev/null >/dev/null 2>&1
        "$FB/entente" run --bare --db "$2/bare.db" /dev/null >/dev/null 2>&1
        rm -f "$2"/*.db-wal "$2"/*.db-shm
        ;;
    esac
}

for t in $targets; do
    bin="$FB/fuzz_$t"
    if [ ! -x "$bin" ]; then
        echo "FAIL fuzz $t: $bin not built (make fuzz)"
        fail=$((fail + 1))
        continue
    fi
    corpus="$FB/corpus/$t"
    seeds="$FB/seeds/$t"
    mkdir -p "$corpus" "$seeds"
    seed "$t" "$seeds"
    kept="tests/fuzz/corpus/$t"
    [ -d "$kept" ] || kept=""
    log="$FB/fuzz-$t.log"
    # small inputs run fast (libFuzzer's bookkeeping grows with input size):
    # a chronicle line is at most 4 KiB; a journal needs its SQLite pages
    case "$t" in journal) maxlen=65536;; http) maxlen=8192;; charter) maxlen=16384;; token) maxlen=256;; *) maxlen=4096;; esac
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
        -print_final_stats=1 -artifact_prefix="$FB/crash-$t-" "$corpus" "$seeds" $kept >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | sed 's/ft: //')
    units=$(ls "$corpus" | wc -l)
    if [ $rc -eq 0 ]; then
        echo "ok fuzz $t: ${execs:-?} executions in ${SECS} s, cov ${cov:-?} edges, ft ${ft:-?}, corpus $units"
        pass=$((pass + 1))
    else
        echo "FAIL fuzz $t (exit $rc): ${execs:-?} executions; see $log"
        grep -A30 'ERROR:\|runtime error\|deadly signal' "$log" | head -n 40
        fail=$((fail + 1))
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
